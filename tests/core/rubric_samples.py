"""A small valid rubric used by tests that must not depend on the shipped rubric files."""

LEVELS = """
[[levels]]
key = "su"
label_ko = "수"
label_en = "Excellent"
percent = 100
[[levels]]
key = "u"
label_ko = "우"
label_en = "Very good"
percent = 80
[[levels]]
key = "mi"
label_ko = "미"
label_en = "Good"
percent = 60
[[levels]]
key = "yang"
label_ko = "양"
label_en = "Fair"
percent = 40
[[levels]]
key = "ga"
label_ko = "가"
label_en = "Poor"
percent = 20
"""

DESCR = """[criteria.levels]
su = { ko = "매우 우수", en = "outstanding" }
u = { ko = "우수", en = "very good" }
mi = { ko = "보통", en = "adequate" }
yang = { ko = "미흡", en = "weak" }
ga = { ko = "매우 미흡", en = "very weak" }
"""


def small_rubric(*, weight_b: float = 1.0, scoring_b: str = "levels") -> str:
    return f"""format = 1
id = "mini"
track = "activity"
name_ko = "소형 평가표"
name_en = "Mini rubric"
min_score = 60
{LEVELS}
[[criteria]]
id = "a"
name_ko = "가 항목"
name_en = "Criterion A"
max = 60
weight = 1.0
scoring = "levels"
{DESCR}
[[criteria]]
id = "b"
name_ko = "나 항목"
name_en = "Criterion B"
max = 40
weight = {weight_b}
scoring = "{scoring_b}"
field_check = true
{DESCR}
[[gates]]
id = "min_members"
name_ko = "주민 3인 이상"
kind = "auto"
field = "members"
min = 3

[[checklist]]
id = "met"
name_ko = "주민 면담"
"""
