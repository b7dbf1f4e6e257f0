"""The 党组织 tab: the tree 党委 → 党总支 → 党支部 (with each branch's number of members) beside
the detail panel of the selected branch and its village. The quick search filters the tree
by name or pinyin initials; 新增党组织 and 新增村（社区） open the record dialog."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QMessageBox, QSplitter, QToolBar, QTreeView,
    QVBoxLayout, QWidget,
)

from ..domain import records as R
from ..domain.errors import DomainError
from ..exchange.columns import BRANCHES, VILLAGES
from ..services.query import BranchNode
from ..services.query_types import Choice
from .branch_panel import BranchPanel
from .context import UiContext
from .empty_hint import EmptyHint, hint_text, note_over
from .record_dialog import RecordDialog
from .record_form import FormField

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2

NEW_BRANCH_FIELDS = (
    FormField("name", wide=True), FormField("kind"), FormField("code"),
    FormField("parent_uuid", label="上级党组织", choices="branches"),
    FormField("village_uuid", label="所在村（社区）", choices="villages"),
    FormField("founded_on"), FormField("last_election_on"),
)
NEW_VILLAGE_FIELDS = (FormField("name", label="村（社区）名称"), FormField("code"), FormField("kind"), FormField("category"))


class BranchesTab(QWidget):
    title = "党组织"
    status_changed = Signal(str)
    records_changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nodes: dict[str, BranchNode] = {}
        self._empty_hint: EmptyHint | None = None  # made when there is nothing to list
        self._choices: dict[str, list[Choice]] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索党组织：名称或拼音首字母（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.tree_model = QStandardItemModel(0, 2, self)
        self.tree_model.setHorizontalHeaderLabels([self.tr("党组织"), self.tr("在册人数")])
        self.tree_model.setHeaderData(1, Qt.Orientation.Horizontal,
                                      self.tr("在册人员，含入党申请人、入党积极分子、发展对象；上级党组织含其下级的人数"),
                                      Qt.ItemDataRole.ToolTipRole)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.tree_model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._filter_tree)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(lambda cur, _prev: self._show(cur))
        self.panel: BranchPanel | None = None  # built when the tab is first shown (it reads choices)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_new = QAction(self.tr("新增党组织"), self)
        self.action_new.triggered.connect(lambda _c=False: self.new_record())
        self.action_village = QAction(self.tr("新增村（社区）"), self)
        self.action_village.triggered.connect(lambda _c=False: self.new_village())
        self.action_delete = QAction(self.tr("删除党组织"), self)
        self.action_delete.triggered.connect(lambda _c=False: self.delete_current())
        for action in (self.action_new, self.action_village, self.action_delete):
            self.toolbar.addAction(action)
            action.setEnabled(not ctx.read_only)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tree, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(QWidget())  # the panel's place
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 720])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        top = QHBoxLayout()
        top.addWidget(self.toolbar)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.loaded = False

    # -- the tree --------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if not self.loaded:
            QTimer.singleShot(0, self.ensure_loaded)

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.refresh()

    def _show_empty_hint(self) -> None:
        """Over an empty tree: what to do first, or (a search found nothing) that nothing matches."""
        text = None if self.proxy.rowCount() > 0 else self.tr(hint_text(
            bool(self.nodes), self.ctx.read_only,
            "还没有党组织。先点“新增村（社区）”建好各村，再点“新增党组织”建党委、党总支和党支部；"
            "已有党组织名册的，也可以用“数据交换 → 导入已有名册”导入。",
            widen="可以清空搜索框，或换个名称、拼音首字母再找。"))
        self._empty_hint = note_over(self.tree, self._empty_hint, text)

    def _show_subtotals(self, counts: dict[str, QStandardItem]) -> None:
        """A 党委 or 党总支 shows its own people and those of every branch below it (its own are
        usually none: they belong to the branches), the split in the tooltip."""
        totals = {uuid: node.members for uuid, node in self.nodes.items()}
        for uuid in reversed(list(self.nodes)):  # the nodes come parents first
            parent = self.nodes[uuid].branch.parent_uuid
            if parent in totals:
                totals[parent] += totals[uuid]
        for uuid, item in counts.items():
            own, total = self.nodes[uuid].members, totals[uuid]
            if total != own:
                item.setText(f"{total:,}")
                item.setToolTip(self.tr(f"本级 {own:,} 人，连同下级党组织共 {total:,} 人"))

    def _ensure_panel(self) -> BranchPanel:
        if self.panel is None:
            self.panel = BranchPanel(self.ctx, self.choices)
            self.panel.saved.connect(self._after_save)
            self.splitter.replaceWidget(1, self.panel)
            self.splitter.setSizes([380, 720])
        return self.panel

    def refresh(self, select_uuid: str | None = None) -> None:
        self._ensure_panel()
        current = select_uuid or self.current_uuid()
        self._choices.clear()
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        self.nodes.clear()
        parents: dict[str, QStandardItem] = {}
        counts: dict[str, QStandardItem] = {}
        for node, _depth in self.ctx.query.branch_nodes():
            b = node.branch
            self.nodes[b.uuid] = node
            name = QStandardItem(b.name)
            name.setData(b.uuid, UUID_ROLE)
            name.setData(f"{b.name} {node.initials}", SEARCH_ROLE)
            name.setToolTip(f"{b.kind}" + (f" · {node.village_name}" if node.village_name else ""))
            count = QStandardItem(f"{node.members:,}")
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setData(f"{b.name} {node.initials}", SEARCH_ROLE)
            parent = parents.get(b.parent_uuid or "") or self.tree_model.invisibleRootItem()
            parent.appendRow([name, count])
            parents[b.uuid] = name
            counts[b.uuid] = count
        self._show_subtotals(counts)
        self.tree.expandToDepth(1)
        self._show_empty_hint()
        self.loaded = True
        self.status_changed.emit(self.status_text())
        if current:
            self.select_uuid(current)
        elif self.proxy.rowCount():
            self.tree.setCurrentIndex(self.proxy.index(0, 0))

    def status_text(self) -> str:
        return self.tr(f"党组织：共 {len(self.nodes):,} 个")

    def _filter_tree(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()
        self._show_empty_hint()

    def select_uuid(self, uuid: str) -> bool:
        found = self.tree_model.match(self.tree_model.index(0, 0), UUID_ROLE, uuid, 1,
                                      Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        if not found:
            return False
        index = self.proxy.mapFromSource(found[0])
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        return index.isValid()

    def current_uuid(self) -> str | None:
        index = self.tree.currentIndex()
        return self.proxy.data(index.siblingAtColumn(0), UUID_ROLE) if index.isValid() else None

    def _show(self, index: QModelIndex) -> None:
        uuid = self.proxy.data(index.siblingAtColumn(0), UUID_ROLE) if index.isValid() else None
        if uuid is None:
            return
        editing = self.panel.branch if self.panel is not None and self.panel.dirty else None
        if editing is not None:  # unsaved edits: keep them on a reload, ask before another branch
            if uuid != editing.uuid:
                QTimer.singleShot(0, lambda: self._leave_for(uuid))  # not while the tree changes current
            return
        self._load(uuid)

    def _leave_for(self, uuid: str) -> None:
        """The clerk picked another branch with edits unsaved: 保存, 不保存 or stay (取消)."""
        panel = self.panel
        if panel is None or panel.branch is None or not panel.dirty:
            return
        editing = panel.branch.uuid
        if self.may_leave_edits(self.tr("切换党组织")):
            if self.current_uuid() == uuid:
                self._load(uuid)
            else:
                self.select_uuid(uuid)
        elif self.current_uuid() != editing:
            self.select_uuid(editing)

    def may_leave_edits(self, title: str) -> bool:
        """True when nothing is unsaved, or the clerk saved (without errors) or discarded it."""
        panel = self.panel
        if panel is None or panel.branch is None or not panel.dirty or self.ctx.read_only:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, title, self.tr(f"“{panel.branch.name}”的修改还没有保存，要保存吗？\n"
                                 "点“丢弃”不保存这些修改；点“取消”回去接着改。"),
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return panel.save()  # an error stays beside its field, and the clerk with it
        if answer == buttons.Discard:
            panel.dirty = False
            return True
        return False

    def _load(self, uuid: str) -> None:
        try:
            branch = self.ctx.records.get(R.Branch, uuid)
            village = self.ctx.records.get(R.Village, branch.village_uuid) if branch.village_uuid else None
        except DomainError as exc:
            self.ctx.show_error(self, exc)
            return
        assert isinstance(branch, R.Branch) and self.panel is not None
        self.panel.show_branch(branch, village if isinstance(village, R.Village) else None)

    # -- editing ---------------------------------------------------------------------------------
    def choices(self, source: str) -> list[Choice]:
        if source == "secretaries":
            return []  # set per branch by the panel
        if source not in self._choices:
            self._choices[source] = self.ctx.query.dynamic_choices(source)
        return self._choices[source]

    def _after_save(self, uuid: str) -> None:
        self.refresh(uuid)
        self.records_changed.emit()
        self.status_changed.emit(self.tr("已保存"))

    def new_record(self) -> None:
        self._new(R.Branch, BRANCHES, NEW_BRANCH_FIELDS, "新增党组织",
                  parent_uuid=self.current_uuid())

    def new_village(self) -> None:
        self._new(R.Village, VILLAGES, NEW_VILLAGE_FIELDS, "新增村（社区）")

    def _new(self, kind: type[R.Record], sheet, fields, title: str, **values: object) -> None:  # noqa: ANN001
        if self.ctx.read_only:
            return
        try:
            record = self.ctx.records.new_record(kind, **values)
        except DomainError as exc:
            self.ctx.show_error(self, exc)
            return
        dialog = RecordDialog(self.tr(title), sheet, fields, record, self.ctx.records, self.choices,
                              today=self.ctx.today, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self._after_save(dialog.saved.uuid if kind is R.Branch else (self.current_uuid() or ""))

    def edit_current(self) -> None:
        if self.panel is not None:
            self.panel.branch_form.editor("name").widget.setFocus()

    def delete_current(self) -> None:
        uuid = self.current_uuid()
        if uuid is None or self.ctx.read_only:
            return
        name = self.nodes[uuid].branch.name
        answer = QMessageBox.question(self, self.tr("删除党组织"), self.tr(f"确定要删除“{name}”吗？"),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.records.delete(R.Branch, uuid)
        except DomainError as exc:
            self.ctx.show_error(self, exc)
            return
        self.refresh()
        self.records_changed.emit()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def save_state(self) -> None:
        self.ctx.settings.setValue("branches/splitter", self.splitter.saveState())

    def restore_state(self) -> None:
        state = self.ctx.settings.value("branches/splitter")
        if state is not None:
            self.splitter.restoreState(state)
