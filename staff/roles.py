"""The staff groups, created by a data migration; apps grant them model permissions."""

CITY_OFFICE = "市委人才办"
COUNTY_OFFICE = "县级人才办"
EDITORS = "编辑"
REVIEWERS = "审核员"
FINAL_REVIEWERS = "终审人"

STAFF_GROUPS = [CITY_OFFICE, COUNTY_OFFICE]
EDITORIAL_GROUPS = [EDITORS, REVIEWERS, FINAL_REVIEWERS]
