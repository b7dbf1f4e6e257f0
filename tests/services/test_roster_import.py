"""The roster import use case: dry run, commit in one transaction, matching existing records,
duplicates, branches, remembered mappings — on synthetic messy files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace

import pytest
from conftest import TODAY
from roster_fixtures import Draft, data_row, html_as_xls, messy_member_draft, people, write_xlsx

from dangjian_desktop.domain import records as R
from dangjian_desktop.domain.dates import PartialDate
from dangjian_desktop.exchange.roster_sniff import RosterFileError
from dangjian_desktop.services import roster_import_commit
from dangjian_desktop.services.progress import run_job
from dangjian_desktop.services.roster_import import ImportOptions, RosterImport, RosterImportError
from dangjian_desktop.services.roster_import_commit import ImportConflictError
from dangjian_desktop.services.roster_import_plan import RowStatus
from dangjian_desktop.storage.repositories import BranchRepository, MemberRepository, SettingsRepository, audit_for


def preview(store, path, kind="members", options=ImportOptions(), **kw):
    with RosterImport.open(store, path, kind, today=TODAY, **kw) as job:
        return run_job(job.preview(options))


def import_file(store, path, kind="members", options=ImportOptions(create_branches=True), edit=None, **kw):
    with RosterImport.open(store, path, kind, today=TODAY, **kw) as job:
        if edit:
            edit(job)
        plan = run_job(job.preview(options))
        result = run_job(job.commit(plan))
    return plan, result


def table_rows(store, table: str) -> int:
    with closing(sqlite3.connect(store.path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def members(store) -> dict[str, R.Member]:
    with store.db.read() as s:
        return {m.id_number: m for m in MemberRepository(s, audit_for(s)).list()}


def add_branch(store, name: str) -> R.Branch:
    b = R.Branch(township_code="410999101000", name=name)
    with store.db.write() as s:
        BranchRepository(s, audit_for(s)).add(b)
    return b


@pytest.fixture
def roster(tmp_path):
    persons = people(6)
    draft = messy_member_draft(persons)
    draft.rows[4 + 2][4] = 410999195203030059  # ID typed as a number
    draft.rows[4 + 4][4] = persons[4].id_number[:17] + ("1" if persons[4].id_number[17] != "1" else "2")
    return write_xlsx(tmp_path / "东岭村花名册.xlsx", [draft]), persons, draft


def test_a_dry_run_writes_nothing(store, roster):
    path, persons, draft = roster
    audits = table_rows(store, "audit_log")
    plan = preview(store, path, options=ImportOptions(create_branches=True))
    assert plan.counts["新增"] == 4 and plan.counts["未导入"] == 2
    assert [(p.row, p.column) for p in plan.problems(warnings=False)] == [
        (data_row(draft, 2), "F"), (data_row(draft, 4), "F")]
    assert plan.unknown_branches == {"东岭村党支部": 6}
    assert table_rows(store, "members") == 0 and table_rows(store, "branches") == 0
    assert table_rows(store, "audit_log") == audits


def test_commit_imports_the_accepted_rows_and_a_second_import_changes_nothing(store, roster):
    path, persons, _draft = roster
    plan, result = import_file(store, path)
    assert (result.added, result.refused, result.branches_created) == (4, 2, 1)
    stored = members(store)
    assert set(stored) == {persons[i].id_number for i in (0, 1, 3, 5)}
    first = stored[persons[0].id_number]
    assert first.name == persons[0].name and first.birth_date == PartialDate.month(1950, 1)
    with store.db.read() as s:
        branch = BranchRepository(s, audit_for(s)).list()[0]
        events = [e for e in audit_for(s).entries() if e.action == roster_import_commit.IMPORT_ACTION]
    assert branch.name == "东岭村党支部" and {m.branch_uuid for m in stored.values()} == {branch.uuid}
    assert len(events) == 1 and "新增 4 条" in events[0].new_value

    again = preview(store, path)
    assert again.counts["无变化"] == 4 and again.counts["新增"] == 0 and again.counts["更新"] == 0
    assert not again.to_write and not again.unknown_branches
    assert members(store) == stored


def test_a_row_updates_the_record_with_the_same_id_number_and_only_its_fields(store, tmp_path):
    person = people(1)[0]
    existing = R.Member(township_code="410999101000", name=person.name, gender=R.Gender.MALE,
                        id_number=person.id_number, probation_on=PartialDate.day(1975, 7, 20),
                        full_on=PartialDate.day(1976, 7, 20), phone="13900000000", notes="档案在镇里")
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(existing)
    rows = [["姓名", "身份证号", "联系电话", "入党时间"], [person.name, person.id_number, "13811112222", "1975.07"]]
    plan, result = import_file(store, write_xlsx(tmp_path / "更新.xlsx", [Draft("Sheet1", rows)]),
                               options=ImportOptions())
    assert result.updated == 1 and result.added == 0
    assert [(f, str(o), str(n)) for f, o, n in plan.rows[0].changes] == [("phone", "13900000000", "13811112222")]
    stored = members(store)[person.id_number]
    assert stored.uuid == existing.uuid and stored.phone == "13811112222"
    assert stored.notes == "档案在镇里" and stored.probation_on == PartialDate.day(1975, 7, 20)  # kept
    with store.db.read() as s:
        fields = [(e.field, e.new_value) for e in audit_for(s).entries(existing.uuid) if e.action == "修改"]
    assert ("phone", "13811112222") in fields


def test_duplicates_inside_the_file(store, tmp_path):
    a, b = people(2)
    head = ["姓名", "身份证号"]
    rows = [head, [a.name, a.id_number], [b.name, b.id_number], [a.name, a.id_number], [b.name + "甲", b.id_number]]
    plan = preview(store, write_xlsx(tmp_path / "重复.xlsx", [Draft("Sheet1", rows)]))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.REFUSED, RowStatus.DUPLICATE, RowStatus.REFUSED]
    assert "第 5 行" in plan.rows[1].problems[-1].message and "内容不同" in plan.rows[1].problems[-1].message
    assert "第 2 行" in plan.rows[2].problems[-1].message


def test_a_conflicting_duplicate_on_another_sheet_names_that_sheet_and_the_id_cell(store, tmp_path):
    """One sheet per branch: the same 身份证号 with another name on the second sheet. Each row's
    reason names the other sheet (the same row number on its own sheet is somebody else), and
    the 身份证号 cell is the one marked."""
    add_branch(store, "东岭村党支部"), add_branch(store, "西山村党支部")
    a, b = people(2)
    head = ["姓名", "身份证号"]
    first = Draft("东岭村党支部", [head, [b.name, b.id_number], [a.name, a.id_number]])
    second = Draft("西山村党支部", [head, [a.name + "甲", a.id_number]])
    plan = preview(store, write_xlsx(tmp_path / "两个支部.xlsx", [first, second]))
    refused = {(p.sheet, p.row): p for p in plan.problems(warnings=False)}
    assert set(refused) == {("东岭村党支部", 3), ("西山村党支部", 2)}
    assert "与本文件工作表“西山村党支部”第 2 行相同" in refused["东岭村党支部", 3].message
    assert "与本文件工作表“东岭村党支部”第 3 行相同" in refused["西山村党支部", 2].message
    assert {(p.column, p.header) for p in refused.values()} == {("B", "身份证号")}


def test_unknown_branches_are_listed_and_created_only_when_agreed(store, tmp_path):
    add_branch(store, "东岭村党支部")
    persons = people(3)
    rows = [["姓名", "身份证号", "所在党支部"]] + [[p.name, p.id_number, br] for p, br in
                                               zip(persons, ["东岭村党支部", "西岭村党支部", "西岭村党支部"], strict=True)]
    path = write_xlsx(tmp_path / "支部.xlsx", [Draft("Sheet1", rows)])
    plan = preview(store, path)
    assert plan.unknown_branches == {"西岭村党支部": 2}
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.REFUSED, RowStatus.REFUSED]
    assert plan.rows[1].problems[0].column == "C" and "--create-branches" in plan.rows[1].problems[0].message
    _plan, result = import_file(store, path, options=ImportOptions(create_branches=True))
    assert (result.added, result.branches_created) == (3, 1)
    assert table_rows(store, "branches") == 2


def test_branch_from_the_option_or_the_sheet_name(store, tmp_path):
    east = add_branch(store, "东岭村党支部")
    west = add_branch(store, "西岭村党支部")
    a, b, c = people(3)
    sheets = [Draft("东岭村", [["姓名", "身份证号"], [a.name, a.id_number]]),
              Draft("Sheet2", [["姓名", "身份证号"], [b.name, b.id_number]])]
    path = write_xlsx(tmp_path / "按表.xlsx", sheets)
    plan, _ = import_file(store, path, options=ImportOptions())
    assert any("归入“东岭村党支部”" in n for n in plan.notes) and any("Sheet2" in n and "--branch" in n for n in plan.notes)
    stored = members(store)
    assert stored[a.id_number].branch_uuid == east.uuid and stored[b.id_number].branch_uuid is None
    other = write_xlsx(tmp_path / "一个.xlsx", [Draft("Sheet1", [["姓名", "身份证号"], [c.name, c.id_number]])])
    import_file(store, other, options=ImportOptions(branch="西岭村党支部"))
    assert members(store)[c.id_number].branch_uuid == west.uuid


def test_a_refused_file_writes_nothing(store, tmp_path):
    with pytest.raises(RosterFileError):
        RosterImport.open(store, html_as_xls(tmp_path / "网页.xls"), "members")
    no_ids = write_xlsx(tmp_path / "无身份证.xlsx", [Draft("Sheet1", [["姓名", "性别"], ["王建国", "男"]])])
    with RosterImport.open(store, no_ids, "members") as job, pytest.raises(RosterImportError) as err:
        run_job(job.preview())
    assert "Sheet1" in err.value.message and "身份证号" in err.value.message and "姓名、性别" in err.value.message
    with pytest.raises(RosterImportError) as err:
        RosterImport.open(store, write_xlsx(tmp_path / "无表头.xlsx", [Draft("说明", [["请填写"]])]), "members")
    assert "表头" in err.value.message
    assert table_rows(store, "members") == 0
    with pytest.raises(RosterImportError) as err:  # a members' roster opened as 代办事项
        RosterImport.open(store, no_ids, "requests")
    assert "代办事项" in err.value.message and "“序号”、“受理日期”、“申请人”这些列" in err.value.message


def test_a_changed_mapping_is_remembered_for_the_same_headers(store, tmp_path):
    persons = people(2)
    rows = [["姓名", "性别", "证件号", "类别"]] + [[p.name, p.gender, p.id_number, "预备党员"] for p in persons]
    path = write_xlsx(tmp_path / "自定义.xlsx", [Draft("Sheet1", rows)])
    with pytest.raises(RosterImportError):  # 证件号 is not a known header
        preview(store, path)

    def edit(job):
        assert [c.field for c in job.sheets[0].columns] == ["name", "gender", None, None]
        assert ("stage", "发展阶段") in job.field_choices()
        job.set_field("Sheet1", 2, "id_number")
        job.set_field("Sheet1", 3, "stage")
    import_file(store, path, edit=edit)
    assert {m.stage for m in members(store).values()} == {R.Stage.PROBATIONARY}
    with RosterImport.open(store, path, "members") as job:
        assert job.sheets[0].remembered and [c.field for c in job.sheets[0].columns] == ["name", "gender", "id_number", "stage"]
        with store.db.read() as s:
            assert any(k.startswith("roster_mapping:") for k in SettingsRepository(s).all())


def test_set_field_moves_a_field_and_refuses_unknown_ones(store, tmp_path):
    p = people(1)[0]
    path = write_xlsx(tmp_path / "a.xlsx", [Draft("Sheet1", [["姓名", "身份证号", "备注"], [p.name, p.id_number, ""]])])
    with RosterImport.open(store, path, "members") as job:
        job.set_field("Sheet1", 2, "name")
        assert [c.field for c in job.sheets[0].columns] == [None, "id_number", "name"]
        with pytest.raises(RosterImportError):
            job.set_field("Sheet1", 0, "uuid")


def test_a_change_after_the_preview_refuses_the_whole_commit(store, tmp_path):
    a, b = people(2)
    path = write_xlsx(tmp_path / "并发.xlsx", [Draft("Sheet1", [["姓名", "身份证号"], [a.name, a.id_number],
                                                                [b.name, b.id_number]])])
    with RosterImport.open(store, path, "members", today=TODAY) as job:
        plan = run_job(job.preview())
        someone = R.Member(township_code="410999101000", name=b.name, gender=R.Gender.FEMALE, id_number=b.id_number)
        with store.db.write() as s:
            MemberRepository(s, audit_for(s)).add(someone)
        with pytest.raises(ImportConflictError):
            run_job(job.commit(plan))
    assert set(members(store)) == {b.id_number}


def test_a_commit_failing_half_way_leaves_nothing(store, roster, monkeypatch):
    path, _persons, _draft = roster
    real = roster_import_commit._write_updates

    def fail(*args):
        yield from real(*args)
        raise OSError("磁盘已满")
    monkeypatch.setattr(roster_import_commit, "_write_updates", fail)
    with pytest.raises(OSError):
        import_file(store, path)
    assert table_rows(store, "members") == 0 and table_rows(store, "branches") == 0


def test_a_cancelled_commit_is_rolled_back(store, roster):
    path, _persons, _draft = roster
    with RosterImport.open(store, path, "members", today=TODAY) as job:
        plan = run_job(job.preview(ImportOptions(create_branches=True)))
        steps = job.commit(plan)
        next(steps), next(steps)  # started, first batch written
        steps.close()
    assert table_rows(store, "members") == 0


def test_hidden_sheets_are_skipped_unless_named(store, tmp_path):
    a, b = people(2)
    path = write_xlsx(tmp_path / "隐藏.xlsx", [Draft("在册", [["姓名", "身份证号"], [a.name, a.id_number]]),
                                             Draft("已故", [["姓名", "身份证号"], [b.name, b.id_number]], hidden=True)])
    plan = preview(store, path)
    assert plan.counts["新增"] == 1 and any("已故" in n and "隐藏" in n for n in plan.notes)
    assert preview(store, path, sheet="已故").rows[0].record.id_number == b.id_number


def test_member_updates_keep_a_day_when_the_roster_has_only_the_month(store, tmp_path):
    p = people(1)[0]
    m = R.Member(township_code="410999101000", name=p.name, gender=R.Gender.MALE, id_number=p.id_number,
                 probation_on=PartialDate.day(1998, 7, 15))
    with store.db.write() as s:
        MemberRepository(s, audit_for(s)).add(m)
    rows = [["姓名", "身份证号", "入党时间"], [p.name, p.id_number, "1998年7月"]]
    plan = preview(store, write_xlsx(tmp_path / "月.xlsx", [Draft("Sheet1", rows)]))
    assert plan.rows[0].status is RowStatus.UNCHANGED
    moved = preview(store, write_xlsx(tmp_path / "月2.xlsx", [Draft("Sheet1", [rows[0], [p.name, p.id_number, "1998.08"]])]))
    assert moved.rows[0].status is RowStatus.UPDATE
    assert replace(moved.rows[0].record, updated_at=m.updated_at).probation_on == PartialDate.month(1998, 8)


def test_the_note_on_missing_stage_dates_counts_only_the_rows_imported(store, tmp_path):
    """Rows refused for another reason are not "照常导入": a note saying 3 of them are, under
    counts of 2 new rows, sends the clerk looking for a row that is not there."""
    a, b, c = people(3)
    rows = [["姓名", "性别", "身份证号", "入党时间"], [a.name, a.gender, a.id_number, "1985-07-01"],
            [b.name, b.gender, b.id_number, "1986-07-01"], [c.name, "女" if c.gender == "男" else "男", c.id_number,
                                                            "1987-07-01"]]
    plan = preview(store, write_xlsx(tmp_path / "缺日期.xlsx", [Draft("Sheet1", rows)]))
    assert plan.counts["新增"] == 2 and plan.counts["未导入"] == 1
    notes = [n for n in plan.notes if "申请入党时间" in n]
    assert notes == ["2 条记录缺少“申请入党时间”，照常导入，请日后补录"]


def test_updates_report_progress_in_batches_and_a_cancel_among_them_rolls_back(store, tmp_path, monkeypatch):
    """A roster that changes thousands of stored members takes seconds in the updates: the
    progress moves batch by batch, and a 取消 there leaves every record and the log as they were."""
    monkeypatch.setattr(roster_import_commit, "UPDATE_BATCH", 2)
    persons = people(5)
    with store.db.write() as s:
        repo = MemberRepository(s, audit_for(s))
        for p in persons:
            repo.add(R.Member(township_code="410999101000", name=p.name, gender=R.Gender(p.gender),
                              id_number=p.id_number, phone="13900000000"))
    rows = [["姓名", "身份证号", "联系电话"]] + [[p.name, p.id_number, "13811112222"] for p in persons]
    path = write_xlsx(tmp_path / "改电话.xlsx", [Draft("Sheet1", rows)])
    audits = table_rows(store, "audit_log")
    with RosterImport.open(store, path, "members", today=TODAY) as job:
        plan = run_job(job.preview(ImportOptions()))
        assert plan.counts["更新"] == 5
        steps = job.commit(plan)
        seen = [next(steps) for _ in range(3)]  # started, then the first two batches of updates
        assert [(p.done, p.message) for p in seen[1:]] == [(2, "已更新 2 条记录"), (4, "已更新 4 条记录")]
        steps.close()
    assert {m.phone for m in members(store).values()} == {"13900000000"}
    assert table_rows(store, "audit_log") == audits
    _plan, result = import_file(store, path, options=ImportOptions())
    assert result.updated == 5 and {m.phone for m in members(store).values()} == {"13811112222"}
    assert table_rows(store, "audit_log") == audits + 5 + 1  # one line per changed field, one for the import
