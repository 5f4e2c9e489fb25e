from django.db import migrations

# Clause 二 of the work plan; frozen here, as a migration must be.
CATEGORIES = [
    ("national_programme", "国家级高层次人才计划入选者"),
    ("regional_programme", "自治区级高层次人才计划入选者"),
    ("city_top_professional", "来宾市专业技术拔尖人才"),
    ("doctorate_or_deputy_senior", "博士研究生或副高级及以上职称"),
    ("enterprise_manager", "企业经营管理人才"),
    ("other_outstanding", "其他优秀人才"),
]


def create_categories(apps, schema_editor):
    TalentCategory = apps.get_model("experts", "TalentCategory")
    for sort_order, (code, name) in enumerate(CATEGORIES, start=1):
        TalentCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": sort_order})


def remove_categories(apps, schema_editor):
    apps.get_model("experts", "TalentCategory").objects.filter(code__in=[code for code, _ in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0002_expert_records")]

    operations = [migrations.RunPython(create_categories, remove_categories)]
