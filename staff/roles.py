"""The staff groups, created by a data migration; apps grant them model permissions."""

CITY_OFFICE = "市委人才办"
COUNTY_OFFICE = "县级人才办"
EDITORS = "编辑"
REVIEWERS = "审核员"
FINAL_REVIEWERS = "终审人"
# The liaison work (联系服务): leaders see their own pairings and contacts; a leader's office
# (市委办 and the like) records contacts for the leaders of its body; a unit's liaison (联络员)
# files the five reports about the experts of the units tied to them.
LEADERS = "领导"
LEADER_OFFICES = "领导办公室"
UNIT_LIAISONS = "单位联络员"
# A department's users (承办部门, linked by intake.DepartmentMembership) handle the intake items
# assigned to their department, and nothing else.
DEPARTMENT_USERS = "承办部门"

STAFF_GROUPS = [CITY_OFFICE, COUNTY_OFFICE]
EDITORIAL_GROUPS = [EDITORS, REVIEWERS, FINAL_REVIEWERS]
LIAISON_GROUPS = [LEADERS, LEADER_OFFICES, UNIT_LIAISONS]
# Every group the migrations create.
ALL_GROUPS = [*STAFF_GROUPS, *EDITORIAL_GROUPS, *LIAISON_GROUPS, DEPARTMENT_USERS]
