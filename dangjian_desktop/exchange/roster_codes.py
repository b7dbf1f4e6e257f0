"""The code synonyms people write in rosters for the program's code lists: 男/1, 大专/专科,
预备/预备党员, 退役军人/复转军人 … and the words for yes and no (是/√/Y, 否/×/N).

Keys are compared upper-cased, without spaces, with full-width digits and letters made ASCII
(see ``roster_values``); each enum's own Chinese values are always accepted.
"""

from __future__ import annotations

from enum import StrEnum

from ..domain import enums as E


def synonyms(enum: type[StrEnum], pairs: dict[str, tuple[str, ...]]) -> dict[str, StrEnum]:
    table: dict[str, StrEnum] = {m.value: m for m in enum}
    for value, words in pairs.items():
        for w in words:
            table[w.upper()] = enum(value)
    return table


ENUM_SYNONYMS: dict[type[StrEnum], dict[str, StrEnum]] = {
    E.Gender: synonyms(E.Gender, {"男": ("1", "男性", "M"), "女": ("2", "女性", "F")}),
    E.Education: synonyms(E.Education, {
        "研究生": ("硕士", "博士", "硕士研究生", "博士研究生", "研究生及以上"),
        "大学本科": ("本科", "大学", "学士"),
        "大学专科": ("大专", "专科", "高职"),
        "中专": ("中技", "中等专科", "技校", "中等专业学校", "职高", "中职"),
        "高中": ("普通高中", "高中毕业"),
        "初中": ("初中毕业",),
        "小学及以下": ("小学", "文盲", "半文盲", "不识字"),
    }),
    E.Stage: synonyms(E.Stage, {
        "正式党员": ("正式", "中共党员"), "预备党员": ("预备", "中共预备党员"),
        "入党积极分子": ("积极分子",), "入党申请人": ("申请人", "申请入党"),
    }),
    E.MemberCategory: synonyms(E.MemberCategory, {
        "农牧渔民": ("农民", "农牧民", "渔民", "牧民"), "外出务工": ("务工", "外出务工人员", "进城务工"),
        "个体经营": ("个体", "个体工商户"), "村干部": ("村两委", "村两委干部"),
        "退休": ("离退休", "退休人员"), "学生": ("在校学生",),
    }),
    E.LeaveKind: synonyms(E.LeaveKind, {"死亡": ("去世", "病故"), "出党": ("开除党籍", "除名", "退党")}),
    E.PoliticalStatus: synonyms(E.PoliticalStatus, {
        "中共党员": ("党员", "正式党员"), "中共预备党员": ("预备党员",), "共青团员": ("团员",),
    }),
    E.ReserveSource: synonyms(E.ReserveSource, {
        "复转军人": ("退役军人", "复员军人", "转业军人"),
        "返乡创业就业人员": ("返乡创业", "返乡就业", "返乡人员", "返乡创业人员"),
        "大学毕业生": ("大学生", "高校毕业生"),
    }),
    E.IntendedPost: synonyms(E.IntendedPost, {
        "村党组织书记": ("书记", "支部书记", "村支书", "村党支部书记"),
        "村委会主任": ("主任", "村主任"), "两委委员": ("委员", "村两委委员"),
    }),
    E.ReserveStatus: synonyms(E.ReserveStatus, {"培养中": ("培养",)}),
    E.RequestCategory: synonyms(E.RequestCategory, {
        "社会保障": ("社保",), "医疗保险": ("医保",), "户籍证照": ("户籍", "证照"),
        "民政救助": ("民政", "救助"), "农业补贴": ("补贴",), "土地林权": ("土地", "林权"),
    }),
    E.Channel: synonyms(E.Channel, {"上门走访": ("上门", "走访"), "坐班受理": ("坐班",)}),
    E.RequestStatus: synonyms(E.RequestStatus, {
        "已受理": ("受理",), "办理中": ("在办",), "已办结": ("办结", "已完成", "完成"), "已退回": ("退回",),
    }),
    E.Satisfaction: synonyms(E.Satisfaction, {"基本满意": ("比较满意", "较满意")}),
    E.ActivityKind: synonyms(E.ActivityKind, {
        "支部党员大会": ("党员大会",), "支委会": ("支部委员会", "支委会议"), "党小组会": ("小组会",),
        "主题党日": ("主题党日活动", "党员活动日"),
    }),
    E.OrgKind: synonyms(E.OrgKind, {"党总支": ("总支",), "党支部": ("支部",), "联合党支部": ("联合支部",)}),
    E.RectificationStatus: synonyms(E.RectificationStatus, {"已整顿销号": ("已销号", "已整顿", "销号")}),
    E.Evaluation: synonyms(E.Evaluation, {}),
    E.Assessment: synonyms(E.Assessment, {}),
}

BOOL_WORDS = {
    **dict.fromkeys(("是", "√", "✓", "✔", "Y", "YES", "TRUE", "1", "有"), True),
    **dict.fromkeys(("否", "×", "✗", "✘", "N", "NO", "FALSE", "0", "无", "不是"), False),
}
