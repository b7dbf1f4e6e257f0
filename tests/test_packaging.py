"""Packaging: the PyInstaller spec's choices, the .deb's files, the NSIS script, the icon, the
Windows workflow, and ``--self-test`` run in-process against the source tree. (Building the
bundle itself takes a minute: ``.ci/run`` does it with ``build/build.sh --bundle-only``.)"""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import dangjian_desktop
from dangjian_desktop.cli import main
from dangjian_desktop.paths import icon_path
from dangjian_desktop.services import self_test

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SPEC = ROOT / "build" / "dangjian-desktop.spec"
NSIS = ROOT / "build" / "installer.nsi"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def spec_parts(*names: str) -> dict:
    """Run only the named top-level assignments and functions of the spec (the rest needs
    PyInstaller's build machinery), with SPECPATH set as PyInstaller sets it."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    wanted = []
    for node in tree.body:
        targets = [n.id for t in getattr(node, "targets", []) for n in ast.walk(t) if isinstance(n, ast.Name)]
        if isinstance(node, ast.Assign) and any(t in names for t in targets) or (
            isinstance(node, ast.FunctionDef) and node.name in names
        ):
            wanted.append(node)
    namespace = {"SPECPATH": str(SPEC.parent), "Path": Path, "re": re, "os": os, "tomllib": tomllib}
    exec(compile(ast.Module(wanted, []), str(SPEC), "exec"), namespace)  # noqa: S102 - our own spec
    return namespace


def test_version_is_the_one_in_pyproject():
    assert dangjian_desktop.__version__ == PROJECT["version"]


def test_pyinstaller_is_a_build_extra_not_a_runtime_dependency():
    assert any(d.lower().startswith("pyinstaller") for d in PROJECT["optional-dependencies"]["build"])
    assert not any(d.lower().startswith("pyinstaller") for d in PROJECT["dependencies"])


def test_spec_takes_name_version_and_data_from_the_project():
    ns = spec_parts("ROOT", "PROJECT", "NAME", "VERSION", "PACKAGE", "MIGRATIONS", "package_data", "resources")
    assert ns["ROOT"] == ROOT
    assert (ns["NAME"], ns["VERSION"]) == (PROJECT["name"], PROJECT["version"])
    migrations = ns["package_data"](ns["MIGRATIONS"], ("*.py", "*.mako", "versions/*.py"))
    shipped = {Path(dest) / Path(src).name for src, dest in migrations}
    revisions = sorted((ROOT / "dangjian_desktop/storage/migrations/versions").glob("*.py"))
    assert revisions and all(Path("dangjian_desktop/storage/migrations/versions") / r.name in shipped for r in revisions)
    assert Path("dangjian_desktop/storage/migrations/env.py") in shipped
    assert not any("__pycache__" in str(p) for p in shipped)
    resources = ROOT / "dangjian_desktop" / "resources"
    expected = {p.name for p in resources.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert {Path(src).name for src, dest in ns["resources"]} == expected  # every resource, whatever its kind
    assert {dest for _, dest in ns["resources"]} == {"dangjian_desktop/resources"}


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6\\plugins\\imageformats\\qtiff.dll", False),
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6\\translations\\qtbase_zh_CN.qm", True),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("dangjian_desktop/resources/icon-16.png", True),
])
def test_spec_keeps_only_the_qt_plugins_and_translations_the_program_uses(dest, kept):
    ns = spec_parts("KEEP_PLUGINS", "PLUGIN_PATH", "TRANSLATION_PATH", "keep_qt_file")
    assert ns["keep_qt_file"](dest) is kept


def test_spec_drops_links_to_dropped_libraries():
    drop = spec_parts("drop_dangling_symlinks")["drop_dangling_symlinks"]
    binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY")]
    datas = [("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("libQt6WaylandClient.so.6", "PySide6/Qt/lib/libQt6WaylandClient.so.6", "SYMLINK"),
             ("dangjian_desktop/resources/icon.svg", "/x/icon.svg", "DATA")]
    assert [d[0] for d in drop(datas, binaries)] == ["libQt6Core.so.6", "dangjian_desktop/resources/icon.svg"]


def test_desktop_entry_names_the_command_and_the_icon_in_chinese():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / "packaging" / "dangjian-desktop.desktop", encoding="utf-8")
    e = entry["Desktop Entry"]
    assert (e["Type"], e["Name"], e["Name[zh_CN]"], e["Terminal"]) == ("Application", "党建台账", "党建台账", "false")
    assert e["Exec"].split()[0] in PROJECT["scripts"]
    assert e["Icon"] == PROJECT["name"] and e["Categories"].endswith(";")
    make_deb = (ROOT / "build" / "make_deb.sh").read_text(encoding="utf-8")
    assert f"name={e['Icon']}" in make_deb and "apps/$name.png" in make_deb


def test_debian_control_declares_the_libraries_and_a_chinese_font():
    fields = dict(re.findall(r"^(\S+): (.*)$", (ROOT / "packaging/debian/control.in").read_text(encoding="utf-8"), re.M))
    assert fields["Package"] == PROJECT["name"] and fields["Version"] == "@VERSION@"
    depends = [d.strip() for d in fields["Depends"].split(",")]
    assert {"libgl1", "libegl1", "fonts-noto-cjk | fonts-wqy-microhei"} <= set(depends)


def test_installer_script_has_chinese_pages_shortcuts_and_an_uninstaller_that_keeps_the_data():
    text = NSIS.read_text(encoding="utf-8")
    assert "Unicode true" in text and '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    assert 'CreateShortcut "$SMPROGRAMS\\' in text and 'CreateShortcut "$DESKTOP\\' in text
    assert '!define DATA_DIR "$LOCALAPPDATA\\${APP}"' in text
    uninstall = text[text.index('Section "Uninstall"'):]
    uninstall = uninstall[:uninstall.index("SectionEnd")]
    commands = [line.strip() for line in uninstall.splitlines() if line.strip() and not line.strip().startswith(";")]
    assert all("DATA_DIR" not in c or c.startswith("DetailPrint") for c in commands)
    assert 'RMDir /r "$INSTDIR"' not in commands  # only the files it installed


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed (apt-get install nsis)")
def test_installer_script_compiles_against_a_stand_in_bundle(tmp_path):
    standin = tmp_path / "dangjian-desktop"
    (standin / "_internal").mkdir(parents=True)
    (standin / "dangjian-desktop.exe").write_bytes(b"")
    (standin / "dangjian-desktop-cli.exe").write_bytes(b"")
    out = tmp_path / f"dangjian-desktop-{PROJECT['version']}-setup.exe"
    done = subprocess.run(["makensis", "-NOCD", "-V2", "-WX", f"-DVERSION={PROJECT['version']}", f"-DDIST={standin}",
                           f"-DOUTFILE={out}", str(NSIS)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ"


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "build").glob("*.sh")))
def test_build_scripts_are_valid_bash(script):
    done = subprocess.run(["bash", "-n", str(ROOT / "build" / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_windows_workflow_builds_the_bundle_self_tests_it_and_makes_the_installer():
    text = (ROOT / ".github/workflows/windows.yml").read_text(encoding="utf-8")
    for needed in ("runs-on: windows-latest", 'python-version: "3.11"', '".[build]"', "build/dangjian-desktop.spec",
                   "--workpath pyinstaller-work", "--distpath pyinstaller-dist", "dangjian-desktop-cli.exe --self-test",
                   "choco install nsis", "makensis.exe\" -NOCD", "actions/upload-artifact"):
        assert needed in text, needed


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git work tree")
@pytest.mark.parametrize(("path", "ignored"), [
    ("build/dangjian-desktop.spec", False), ("build/installer.nsi", False), ("build/build.sh", False),
    ("build/make_icon.py", False), ("pyinstaller-work/x", True), ("pyinstaller-dist/x", True),
])
def test_the_build_files_are_tracked_and_the_build_output_is_not(path, ignored):
    done = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert (done.returncode == 0) is ignored


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_icon_comes_in_every_size_as_png_svg_and_ico():
    resources = ROOT / "dangjian_desktop" / "resources"
    for size in ICON_SIZES:
        assert _png_size(resources / f"icon-{size}.png") == (size, size)
    assert ET.parse(resources / "icon.svg").getroot().get("viewBox") == "0 0 256 256"
    ico = (resources / "icon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    entries = [struct.unpack("<BBBBHHII", ico[6 + 16 * i: 22 + 16 * i]) for i in range(count)]
    assert (reserved, kind) == (0, 1)
    assert sorted(e[0] or 256 for e in entries) == list(ICON_SIZES)
    assert all(ico[e[7]:e[7] + 8] == b"\x89PNG\r\n\x1a\n" for e in entries)
    assert icon_path() == resources / "icon-256.png" and icon_path(16).exists()


def test_self_test_passes_against_the_source_tree(capsys, qapp):
    code = main(["--self-test"])
    lines = capsys.readouterr().out.splitlines()
    steps = [line for line in lines if line.startswith("[")]
    assert code == 0, "\n".join(lines)
    assert len(steps) == 9 and all("：通过（" in line for line in steps)
    assert lines[-1] == "自检通过"


def test_a_failing_step_fails_the_self_test_and_the_steps_after_it_say_why(monkeypatch, capsys, qapp):
    def broken(ctx):
        raise OSError("磁盘已满")

    steps = list(self_test.DATA_STEPS)
    steps[0] = (steps[0][0], broken)
    monkeypatch.setattr(self_test, "DATA_STEPS", tuple(steps))
    code = main(["--self-test"])
    out = capsys.readouterr().out
    assert code == 1
    assert "新建数据库并迁移：失败" in out and "OSError: 磁盘已满" in out
    assert "写入小型演示数据：未运行" in out and "数据库没有打开" in out
    assert "自检未通过：新建数据库并迁移（失败）" in out
