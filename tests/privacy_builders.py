"""An expert with a record of every kind that names them, for the subject access and anonymisation tests."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from experts.models import Expert, RemovalReason
from experts.services import confirm_reviews, remove_expert
from honours.models import HonourPage, HonourRecipient
from intake import workflow
from intake.models import IntakeItem
from liaison import services
from liaison.models import ContactAttachment, ContactRecord, EventKind, FollowUp, FollowUpStatus
from spotlight.models import SpecialColumn, SpotlightArticleExpert, SpotlightArticlePage

from .experts_builders import make_expert
from .intake_builders import new_item
from .liaison_builders import contact, make_leader, make_liaison, pair, report
from .public_builders import give_consent, make_profile

_numbers = itertools.count(1)


def make_full_expert(user, unit, sections, *, name, mobile, email):
    """An expert with a status history, an annual review, a pairing, a contact with an attachment, a
    follow-up, an accepted five-report with its must-visit, a linked and closed intake item with an
    attachment, a public profile with a photo, an honour and a spotlight article; `user` is city staff."""
    number = next(_numbers)
    expert = make_expert(user, unit, name=name, mobile=mobile, email=email, notes=f"{name}本人提供的备注")
    confirm_reviews([expert], year=timezone.localdate().year, user=user)
    leader = make_leader(name=f"韦领导{number}")
    pair(leader, expert, started_on=datetime.date(2025, 1, 5))
    record = contact([leader], [expert])
    ContactRecord.objects.filter(pk=record.pk).update(summary=f"与{name}座谈，{name}（{mobile}）反映实验室用房紧张。")
    ContactAttachment.objects.create(
        record=record, file=SimpleUploadedFile("photo.png", get_test_image_file().file.getvalue()), name=f"{name}.png"
    )
    FollowUp.objects.create(
        record=record,
        expert=expert,
        problem=f"{name}反映实验室用房紧张",
        owner="市科技局",
        due_on=timezone.localdate(),
        status=FollowUpStatus.SOLVED,
        outcome="已协调解决",
        closed_on=timezone.localdate(),
    )
    liaison = make_liaison(f"liaison{number}", unit)
    filed = report(liaison, expert, kind=EventKind.ACHIEVEMENT, details=f"{name}获评自治区优秀专家。")
    services.accept_report(filed, user=user)

    item, _ = new_item(
        name=name,
        mobile=mobile,
        email=email,
        subject=f"{name}关于科研经费的咨询",
        message=f"我是{name}，电话{mobile}，项目配套经费尚未到位。",
        attachment=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n"),
        attachment_name="申请书.pdf",
    )
    IntakeItem.objects.filter(pk=item.pk).update(expert=expert)
    workflow.accept(item, user)
    workflow.close(item, user, reply=f"{name}您好：经费已拨付。")

    give_consent([expert])
    photo = Image.objects.create(title=f"{name}照片", file=get_test_image_file())
    profile = make_profile(Expert.objects.get(pk=expert.pk), photo=photo, summary=f"{name}，心血管内科专家。")
    honour = HonourPage(
        title=f"优秀专家表彰{number}",
        honour_type="title",
        conferred_title="来宾市优秀专家",
        conferring_body="中共来宾市委",
        summary="表彰",
        citation=[],
    )
    honour.recipients = [HonourRecipient(profile=profile)]
    sections["honours"].add_child(instance=honour)
    honour.save_revision().publish()
    column, _ = SpecialColumn.objects.get_or_create(name="专栏", slug="zl", defaults={"description": "简介"})
    column.save_revision().publish()
    article = SpotlightArticlePage(title=f"专访{number}", author="记者", summary="摘要", body=[])
    article.columns = [column]
    article.related_experts = [SpotlightArticleExpert(profile=profile)]
    sections["spotlight"].add_child(instance=article)
    article.save_revision().publish()
    return Expert.objects.get(pk=expert.pk)


def remove(expert, user):
    remove_expert(
        expert, date=timezone.localdate(), reason=RemovalReason.LEFT_CITY, basis=f"{expert.name}调离本市", user=user
    )
    return Expert.objects.get(pk=expert.pk)
