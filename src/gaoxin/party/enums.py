"""Kinds of party organisation and the stages of member development."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    INDUSTRY_BRANCH = "industry_branch", _("行业党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")


class Stage(models.TextChoices):
    """In pipeline order: a candidate moves forward one stage at a time."""

    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    TARGET = "target", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


STAGE_ORDER = list(Stage.values)


def next_stage(stage: str) -> str | None:
    i = STAGE_ORDER.index(stage)
    return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None
