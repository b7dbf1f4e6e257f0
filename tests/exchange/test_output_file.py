"""``output_file``: a file appears whole under its name or not at all, and a failure is one
Chinese sentence saying what happened (the system's words only in brackets) and what to do."""

from __future__ import annotations

import errno

import pytest

from dangjian_desktop.exchange import output_file as O


@pytest.mark.parametrize(("code", "said"), [
    (errno.EROFS, "文件夹是只读的"), (errno.ENOSPC, "磁盘已满"), (errno.EACCES, "没有写入权限"),
    (errno.EIO, "读写出错"), (errno.EBUSY, "写入时出错"),
])
def test_every_failure_says_in_chinese_what_happened(tmp_path, code, said):
    text = O.write_failure(tmp_path / "a.xlsx", OSError(code, "English words"))
    assert text.startswith(f"无法写入 {tmp_path / 'a.xlsx'}：{said}") and "（English words）" in text and "请" in text


def test_a_write_failing_half_way_keeps_the_old_file_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "包.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(O.OutputWriteError, match="磁盘已满"), O.replacing(target) as tmp:
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["包.xlsx"]
    O.write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["包.xlsx"]


def test_a_folder_that_cannot_be_made_is_named(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(O.OutputWriteError, match=r"无法创建文件夹 .*file.*sub：.*请"):
        O.make_folder(tmp_path / "file" / "sub")


def test_a_file_where_the_folder_should_be_is_said_so(tmp_path):
    """export --out naming an existing file: mkdir fails with EEXIST, which is neither a full
    disk nor a permission."""
    (tmp_path / "afile").write_bytes(b"")
    with pytest.raises(O.OutputWriteError) as exc:
        O.make_folder(tmp_path / "afile")
    assert "已有一个同名的文件，不是文件夹" in exc.value.message and "磁盘空间" not in exc.value.message
