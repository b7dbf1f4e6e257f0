"""Word lists for the synthetic demo data (see ``demo_data``): names, places, texts.

Everything here is made up. Person names are random combinations of common surnames and
given-name characters; a short block list keeps well-known people's names out. Place names
are generic rural names, not chosen to match real places.
"""

from __future__ import annotations

import random

from ..domain.enums import RequestCategory, ActivityKind

# Common surnames, roughly by frequency (a few two-character ones at the end, rarely drawn).
SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
) + ("欧阳", "司马", "诸葛", "上官")
SURNAME_WEIGHTS: tuple[float, ...] = tuple(
    [max(1.0, 40.0 - i * 0.6) for i in range(len(SURNAMES) - 4)] + [0.4, 0.3, 0.2, 0.2]
)

MALE_CHARS = "伟强军磊勇杰涛明超刚平辉鹏华飞斌波宇浩凯健俊峰建国志文兵林东海成新春德清宏博永"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英红梅琳燕慧莉萍雪琴兰凤洁颖倩婷晶彩云月芬"
NEUTRAL_CHARS = "小晓子佳玉金宝安荣长秋振庆广家学立延少春水"

# Real, well-known people whose names a random draw could produce: never emitted.
FAMOUS_NAMES = frozenset({
    "毛泽东", "周恩来", "刘少奇", "朱德", "邓小平", "江泽民", "胡锦涛", "习近平", "李鹏",
    "朱镕基", "温家宝", "李克强", "李强", "杨尚昆", "陈云", "华国锋", "赵紫阳", "胡耀邦",
    "叶剑英", "彭德怀", "林彪", "雷锋", "焦裕禄", "王进喜", "张海迪", "孔繁森", "杨利伟",
    "刘翔", "姚明", "李娜", "张艺谋", "成龙", "李宁", "马云", "马化腾", "李彦宏",
})


def person_name(rng: random.Random, male: bool) -> str:
    """A plausible, synthetic Chinese name: surname + one or two given-name characters."""
    while True:
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        pool = MALE_CHARS if male else FEMALE_CHARS
        if rng.random() < 0.7:
            given = rng.choice(NEUTRAL_CHARS if rng.random() < 0.25 else pool) + rng.choice(pool)
        else:
            given = rng.choice(pool)
        name = surname + given
        if name not in FAMOUS_NAMES:
            return name


# Fictional townships (乡/镇) for the demo district, in a fixed order.
TOWNSHIP_NAMES: tuple[str, ...] = (
    "青石镇", "柳河乡", "石桥镇", "白杨镇", "杏花乡", "松林镇", "红岭乡", "清泉镇", "槐树镇",
    "南湾乡", "金坪镇", "云溪乡", "枫林镇", "梨园乡", "鹿鸣镇", "凤栖镇", "竹园乡", "长岗镇",
    "榆树乡", "桐柏岭镇", "芦花乡", "望山镇", "杨柳洼乡", "东坡岭镇", "银杏乡",
)

VILLAGE_PREFIXES = (
    "东", "西", "南", "北", "前", "后", "上", "下", "大", "小", "新", "老", "柳树", "杨树",
    "枣林", "桃园", "杏林", "榆树", "梨树", "石板", "青山", "白沙", "黄土", "红石", "双井",
    "三里", "五里", "七里", "马头", "龙泉", "凤凰", "卧牛", "孤山", "水磨", "高家", "刘家",
    "王家", "李家", "张家", "陈家", "赵家", "孙家", "周家", "郭家", "何家", "潘家", "贾家",
)
VILLAGE_SUFFIXES = ("庄", "湾", "沟", "岭", "坪", "寨", "店", "营", "屯", "桥", "堡", "河", "坡", "岗", "集", "洼")
COMMUNITY_NAMES = ("新街", "兴隆", "和平", "幸福", "振兴", "文化路", "车站")

SENDING_UNITS = (
    "县农业农村局", "县财政局", "县人力资源和社会保障局", "县自然资源局", "县交通运输局",
    "县水利局", "县卫生健康委员会", "县教育体育局", "县供销合作社", "县农村信用合作联社",
    "县市场监督管理局", "县委组织部", "县委宣传部", "市林业局", "市乡村振兴服务中心",
)

COOPERATIVE_KINDS = (
    "种植专业合作社", "养殖专业合作社", "农机专业合作社", "土地股份合作社", "果蔬专业合作社",
    "中药材种植专业合作社", "劳务专业合作社", "乡村旅游专业合作社", "食用菌专业合作社",
)

FLOATING_DESTINATIONS = (
    "广东省深圳市", "广东省东莞市", "广东省广州市", "浙江省杭州市", "浙江省宁波市", "江苏省苏州市",
    "江苏省昆山市", "上海市", "北京市", "天津市", "福建省厦门市", "河南省郑州市", "湖北省武汉市",
    "新疆维吾尔自治区乌鲁木齐市", "山东省青岛市",
)

OTHER_ETHNICITIES = ("回族", "满族", "蒙古族", "土家族", "苗族", "壮族", "朝鲜族")

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "191", "193", "195", "198", "199",
)

TRANSFER_REASONS = (
    "工作调动，组织关系转至外县", "随子女迁居，组织关系转至城区社区党组织", "考入公务员，组织关系转出",
    "长期在外地定居，组织关系转至居住地", "入伍，组织关系转至部队",
)
DEATH_REASONS = ("因病去世", "病故", "因病医治无效去世", "意外去世")
EXPULSION_REASONS = (
    "连续六个月不参加组织生活、不交纳党费，经支部党员大会讨论予以除名",
    "受开除党籍处分", "本人申请退党，经支部党员大会讨论同意",
)

RECTIFICATION_PLANS = (
    "配强班子，选派第一书记驻村指导；规范“三会一课”；每月向镇党委报告整顿进展",
    "调整支部书记，落实“四议两公开”，清理村级财务，建立整改台账",
    "镇党委班子成员包联，开展党员集中轮训，发展壮大村集体经济",
)

TRAINING_TITLES = (
    "全县村级后备干部能力提升培训班", "乡村振兴专题培训", "镇党校后备干部轮训",
    "农村电商实用技术培训", "“四议两公开”工作法专题培训", "基层党务知识培训",
    "驻村帮带实践锻炼", "农村集体经济发展专题培训",
)
RESERVE_OCCUPATIONS = {
    "致富能手": ("经营家庭农场", "种植大户", "养殖大户", "经营农资门店", "经营农产品加工厂"),
    "复转军人": ("退役军人，从事运输", "退役军人，经营汽修店", "退役军人，村治保主任"),
    "返乡创业就业人员": ("返乡开办电商网店", "返乡经营民宿", "返乡创办服装加工厂", "返乡从事物流快递"),
    "大学毕业生": ("大学生村干部", "村文书", "村级便民服务代办员", "乡村公益性岗位"),
    "其他": ("村会计", "个体经营", "村妇联主席", "务农"),
}

REQUEST_CONTENTS: dict[RequestCategory, tuple[str, ...]] = {
    RequestCategory.SOCIAL_SECURITY: (
        "代办城乡居民养老保险参保登记", "代办养老保险待遇领取资格认证", "代办养老金领取手续",
        "代办城乡居民养老保险缴费档次变更", "代办被征地农民社会保障申请",
    ),
    RequestCategory.MEDICAL_INSURANCE: (
        "代办城乡居民医疗保险缴费", "代办异地就医备案", "代办大病医疗费用报销",
        "代办慢性病门诊认定", "代办新生儿参加医疗保险",
    ),
    RequestCategory.HOUSEHOLD_PAPERS: (
        "代办身份证换领", "代办户口迁移手续", "代办新生儿户口登记", "代办残疾人证",
        "代办老年人优待证", "代办居住证明",
    ),
    RequestCategory.CIVIL_RELIEF: (
        "代办最低生活保障申请", "代办临时救助申请", "代办高龄津贴申请", "代办特困人员供养申请",
        "代办残疾人两项补贴申请", "代办困难群众医疗救助",
    ),
    RequestCategory.FARM_SUBSIDY: (
        "代办耕地地力保护补贴", "代办农机购置补贴申请", "代办种粮补贴信息核对",
        "代办农业保险投保", "代办生猪养殖补贴申请",
    ),
    RequestCategory.LAND_FOREST: (
        "代办土地承包经营权证变更", "代办宅基地使用申请", "代办林权证办理",
        "协调邻里土地边界纠纷", "代办土地流转合同备案",
    ),
    RequestCategory.OTHER: (
        "代缴水电费", "代办就业登记", "代办子女入学证明", "代办危房改造申请",
        "反映村道路灯损坏", "代办创业担保贷款咨询",
    ),
}
REQUEST_RESULTS = (
    "已办理完毕，材料已送达本人", "已办结，群众已领取", "已办理，电话告知结果", "已办结并回访",
    "已协调相关部门办理完成",
)
RETURN_REASONS = (
    "申请材料不全，已告知需补充的材料", "不符合申请条件，已当面解释政策", "本人已自行办理",
    "重复申请，已合并办理", "需本人到县政务服务中心现场办理，已告知办理地点",
)

ACTIVITY_TOPICS: dict[ActivityKind, tuple[str, ...]] = {
    ActivityKind.GENERAL_MEETING: (
        "讨论发展党员工作", "通报支部工作和党费收缴情况", "民主评议党员", "讨论预备党员转正",
        "学习党章党规", "讨论村级重大事项（四议两公开）",
    ),
    ActivityKind.COMMITTEE_MEETING: (
        "研究本月重点工作", "研究村集体经济发展项目", "研究为民服务代办事项", "研究党员发展计划",
        "研究人居环境整治工作", "研究防汛抗旱工作",
    ),
    ActivityKind.GROUP_MEETING: (
        "学习近期会议精神", "交流联系户走访情况", "网格内矛盾纠纷排查", "收集群众意见建议",
        "组织党员交纳党费",
    ),
    ActivityKind.PARTY_LECTURE: (
        "书记讲党课：做合格党员", "党的基本知识讲座", "乡村振兴政策解读", "党史学习专题党课",
        "党员廉洁自律专题党课",
    ),
    ActivityKind.THEME_DAY: (
        "重温入党誓词", "开展志愿服务", "人居环境整治集中行动", "走访慰问困难党员群众",
        "集中学习并交纳党费", "过政治生日", "参观红色教育基地", "开展“党员联系户”走访",
    ),
}
