from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: the admin home's figures and charts for each role, computed by workbench.figures."""

    name = "workbench"
    verbose_name = "工作台"

    def ready(self):
        from base.generations import renew_on_changes
        from experts.models import AnnualReview, Expert, ExpertStatusChange, Unit
        from intake.models import DepartmentMembership, IntakeItem
        from liaison.models import LeaderOffice

        from .figures import EXPERTS_GENERATION, INTAKE_GENERATION

        renew_on_changes(
            EXPERTS_GENERATION,
            (Expert, ExpertStatusChange, AnnualReview, Unit, LeaderOffice),
            (Expert.categories.through, Unit.liaisons.through, LeaderOffice.members.through),
        )
        renew_on_changes(INTAKE_GENERATION, (IntakeItem, DepartmentMembership))
