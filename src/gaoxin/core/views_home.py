"""The front door: after login each role lands on its own home.

Back-office staff get the workbench (工作台) at /office/, a keeper their station
page, a worker the phone home with what the programs offer them, and roles whose
programs are still to come a placeholder saying what will appear there. What a
home shows comes from the programs' `home.py` (gaoxin.core.home), so core names
no program.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import auth
from gaoxin.core import home as homes
from gaoxin.core.enums import Role
from gaoxin.core.selectors import zones_for_user

# What each role's home will hold once its program arrives (shown while no
# program offers that role anything yet).
COMING = {
    Role.JUDGE: gettext_lazy("待评审的申报材料、评分表和评审进度将显示在这里。"),
    Role.ENTERPRISE_CONTACT: gettext_lazy(
        "本企业的星级评定申报、员工名册核对、党建工作和诉求办理进度将显示在这里。"
    ),
    Role.ENTRANT: gettext_lazy("您报名的技能竞赛、比赛日程、成绩和证书将显示在这里。"),
    Role.INSTRUCTOR: gettext_lazy("联系企业的党建工作情况、走访记录和待办事项将显示在这里。"),
    Role.FINANCE: gettext_lazy("待审批的福利资金、发放台账和对账事项将显示在这里。"),
    Role.DEPARTMENT_LIAISON: gettext_lazy(
        "转办给本部门的诉求案件、办理时限和统计报表将显示在这里。"
    ),
}


def _coming(user, tiles) -> list[tuple[str, str]]:
    """(role label, what will appear) for each of the user's roles that no shown
    tile is meant for yet: the note disappears once a program serves the role."""
    roles = homes.user_roles(user) - set().union(*(tile.roles for tile in tiles))
    return [(Role(role).label, text) for role, text in COMING.items() if role in roles]


def home(request):
    user = request.user
    if not user.is_authenticated:
        return TemplateResponse(request, "mobile/home.html", {"public": True})
    if homes.is_desk_user(user):
        return redirect("core:workbench")
    landing = homes.landing(user)
    if landing:
        return redirect(landing)
    board = homes.board(user, user.zone if user.zone_id else None, desk=False)
    tiles = [tile for _label, tile in board.tiles]
    context = {
        "public": False,
        "is_worker": user.has_role(Role.WORKER),
        "service_tiles": [t for t in tiles if not t.mine],
        "mine_tiles": [t for t in tiles if t.mine],
        "coming": _coming(user, tiles),
        "name": homes.person_name(user),
    }
    return TemplateResponse(request, "mobile/home.html", context)


@login_required
def workbench(request):
    """The back office's home: every program's to-dos, headline figures and shortcuts
    for the user's zone (a cross-zone user may pick one, or see all)."""
    user = request.user
    if not homes.is_desk_user(user):
        return redirect("home")
    zones, zone = [], None
    if user.spans_zones:
        zones = list(zones_for_user(user=user))
        picked = request.GET.get("zone", "")
        zone = next((z for z in zones if str(z.pk) == picked), None)
    elif user.zone_id:
        zone = user.zone
    board = homes.board(user, zone, desk=True) if (zone or user.spans_zones) else None
    context = {
        **admin.site.each_context(request),
        "title": _("工作台"),
        "zone": zone,
        "zones": zones,
        "board": board,
        "coming": _coming(user, [tile for _label, tile in board.tiles] if board else []),
        "name": homes.person_name(user),
    }
    return TemplateResponse(request, "core/workbench.html", context)


class PhoneLoginForm(AuthenticationForm):
    """A username or a mobile number, and the password (a worker's PIN).

    The lockout itself is in the authentication backends (so the API and the admin
    honour it too); this form only says so instead of "wrong password".
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("用户名或密码错误，请重新输入"),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as exc:
            identifier = self.cleaned_data.get("username")
            if (
                exc.code == "invalid_login"
                and identifier
                and auth.login_locked(identifier, self.request)
            ):
                raise forms.ValidationError(auth.lockout_message(), code="locked") from None
            raise


class PhoneLoginView(LoginView):
    """One login for phone pages: workers, keepers and merchants are not back-office
    staff, so Django admin's login refuses them. Workers log in with their phone
    number and PIN. Each program mounts it with its own `next_page`; `?next=` wins
    when present."""

    template_name = "mobile/login.html"
    authentication_form = PhoneLoginForm
    next_page = (
        "home"  # a shared phone may switch accounts, so a logged-in user still sees the form
    )


class PhoneLogoutView(LogoutView):
    next_page = "home"
