"""The members page and an invitation's link, through the workbench's real pages: an
administrator invites by mobile number and sees the link to pass on, the colleague opens
it anonymously, registers and accepts once, and works for the organisation; roles change,
the last administrator stays; a plain member reads the list only, another organisation's
administrator cannot touch it, an anonymous visitor is sent to sign in; used and expired
links say why in Chinese."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from shop.models import Invitation, Membership, User
from tests.factories import make_member
from tests.invitations import mailed_code, texted_code, wrong

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_member(coop):
    return make_member(coop, "plain@example.com", role=Membership.Role.MEMBER)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def invite(client, **values):
    return client.post("/work/members/", {"action": "invite", "role": "member", **values})


def post(client, link, data):
    """A form posted on the join page, its after-commit work (the code's text) run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(link, data)


def test_admin_invites_and_the_colleague_registers_and_joins(sms_api, coop, coop_client):
    page = coop_client.get("/work/members/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "成员管理" in html and "邀请同事" in html and "coop@example.com" in html

    response = invite(coop_client, phone="139 1234 5678", role="admin")
    assert response.status_code == 302 and response["Location"] == "/work/members/"
    invitation = Invitation.objects.get()
    assert invitation.phone == "13912345678" and invitation.role == "admin"
    listed = coop_client.get("/work/members/").content.decode()
    assert "邀请已发送至 13912345678" in listed
    link = f"/work/join/{invitation.token}/"
    assert link in listed  # the link to pass on by hand (WeChat) as well

    # The colleague opens the link without an account: the invitation, a code to the
    # invited number, and registering right here (or signing in).
    visitor = Client()
    opened = visitor.get(link).content.decode()
    assert coop.name in opened and "管理员" in opened and "139****5678" in opened
    assert "注册并加入" in opened and f"/account/sign-in/?next={link}" in opened
    sent = post(visitor, link, {"action": "send"})
    assert sent.status_code == 302 and sent["Location"] == f"{link}?sent=1"
    waiting = visitor.get(sent["Location"]).content.decode()
    assert "验证码已发送至 139****5678" in waiting and "重新发送验证码" in waiting
    code = texted_code(sms_api, "13912345678")
    account = {"action": "join", "first_name": "小王", "email": "newcomer@example.com",
               "password": "a-Strong-pass-123"}

    # A wrong code: refused in Chinese, no account made, the invitation still open.
    refused = post(visitor, link, {**account, "code": wrong(code)})
    assert refused.status_code == 400 and "验证码错误或已过期" in refused.content.decode()
    assert not User.objects.filter(email="newcomer@example.com").exists()

    joined = post(visitor, link, {**account, "code": code})
    assert joined.status_code == 302 and joined["Location"] == "/work/"
    membership = Membership.objects.get(user__email="newcomer@example.com")
    assert membership.organization == coop and membership.role == "admin"
    assert membership.user.phone == "13912345678"  # the number the code proved
    home = visitor.get("/work/").content.decode()
    assert coop.name in home and "欢迎加入" in home

    # Single use: the link now says it was used, to anyone.
    again = Client().get(link)
    assert again.status_code == 400 and "这个邀请已被接受" in again.content.decode()


def test_an_email_invitation_refuses_another_account_and_waits_for_the_invitee(
        coop, coop_client, other_coop_user):
    invite(coop_client, email="Colleague@Example.com")
    invitation = Invitation.objects.get()
    link = f"/work/join/{invitation.token}/"

    # Someone else, signed in, who got the forwarded link: told whose it is, no form.
    holder = signed_in(other_coop_user)
    page = holder.get(link).content.decode()
    assert "c***@example.com" in page and "请先退出" in page and "接受邀请并加入" not in page
    post(holder, link, {"action": "send"})
    code = mailed_code("colleague@example.com")  # to the invitee's mailbox, not theirs
    assert holder.post(link, {"action": "join", "code": code}).status_code == 200
    assert not Membership.objects.filter(user=other_coop_user, organization=coop).exists()
    # Signing out here leaves them on the invitation, anonymous.
    out = holder.post(link, {"action": "sign-out"})
    assert out["Location"] == link and "注册并加入" in holder.get(link).content.decode()

    # Registering here: the invited address is filled in and cannot be swapped.
    form = holder.get(link).content.decode()
    assert re.search(r'value="colleague@example.com"[^>]*disabled', form)
    joined = post(holder, link, {"action": "join", "code": code, "first_name": "李明",
                                 "email": "someone.else@example.com",
                                 "password": "a-Strong-pass-123"})
    assert joined.status_code == 302 and joined["Location"] == "/work/"
    user = User.objects.get(email="colleague@example.com")
    assert Membership.objects.filter(user=user, organization=coop).exists()
    assert not User.objects.filter(email="someone.else@example.com").exists()


def test_an_existing_account_accepts_with_the_code(coop, coop_client):
    invite(coop_client, email="member@example.com")
    invitation = Invitation.objects.get()
    link = f"/work/join/{invitation.token}/"
    member = User.objects.create_user("member@example.com", "a-Strong-pass-123")
    client = signed_in(member)
    page = client.get(link).content.decode()
    assert "以 member@example.com 的身份接受邀请" in page and "接受邀请并加入" in page
    missing = client.post(link, {"action": "join", "code": ""})
    assert missing.status_code == 400
    post(client, link, {"action": "send"})
    # A second code within the minute: the wait is said, the first code still works.
    throttled = client.post(link, {"action": "send"}, follow=True).content.decode()
    assert "秒后再重新获取" in throttled
    joined = client.post(link, {"action": "join", "code": mailed_code("member@example.com")})
    assert joined.status_code == 302 and joined["Location"] == "/work/"
    assert Membership.objects.filter(user=member, organization=coop).exists()


def test_expired_and_unknown_links_say_why(coop, coop_client, other_coop_user):
    invite(coop_client, email="late@example.com")
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1))
    late = signed_in(other_coop_user)
    response = late.get(f"/work/join/{invitation.token}/")
    assert response.status_code == 400
    assert re.search(r"这个邀请已于 \d{4}-\d{2}-\d{2} 过期", response.content.decode())
    assert late.post(f"/work/join/{invitation.token}/").status_code == 400
    assert not Membership.objects.filter(user=other_coop_user, organization=coop).exists()
    unknown = late.get("/work/join/not-a-token/")
    assert unknown.status_code == 400 and "这个邀请链接无效" in unknown.content.decode()


def test_roles_change_and_the_last_admin_stays(coop, coop_user, coop_client, plain_member):
    own = Membership.objects.get(user=coop_user)
    html = coop_client.get("/work/members/").content.decode()
    assert "唯一的管理员" in html  # no buttons beside the only administrator
    refused = coop_client.post("/work/members/", {"action": "role", "membership": own.pk,
                                                  "role": "member"}, follow=True)
    assert "组织至少要保留一名管理员" in refused.content.decode()
    refused = coop_client.post("/work/members/", {"action": "remove", "membership": own.pk},
                               follow=True)
    assert "不能移除唯一的管理员" in refused.content.decode()
    assert Membership.objects.get(pk=own.pk).role == "admin"

    other = Membership.objects.get(user=plain_member)
    done = coop_client.post("/work/members/", {"action": "role", "membership": other.pk,
                                               "role": "admin"}, follow=True)
    assert "现在是管理员" in done.content.decode()
    coop_client.post("/work/members/", {"action": "role", "membership": own.pk,
                                        "role": "member"})
    assert Membership.objects.get(pk=own.pk).role == "member"
    # No longer an administrator: the list is read-only and changes are refused.
    html = coop_client.get("/work/members/").content.decode()
    assert "邀请同事" not in html and "设为管理员" not in html
    assert coop_client.post("/work/members/", {"action": "remove",
                                               "membership": other.pk}).status_code == 403
    removed = signed_in(plain_member).post("/work/members/", {"action": "remove",
                                                              "membership": own.pk},
                                           follow=True)
    assert "已被移出本组织" in removed.content.decode()
    assert list(Membership.objects.filter(organization=coop)) == [other]


def test_members_only_and_admins_only(coop, coop_user, plain_member, other_coop_user):
    own = Membership.objects.get(user=coop_user)
    member = signed_in(plain_member)
    html = member.get("/work/members/").content.decode()
    assert "coop@example.com" in html and "plain@example.com" in html
    assert "邀请同事" not in html and 'name="action"' not in html
    for data in ({"action": "invite", "email": "x@example.com", "role": "member"},
                 {"action": "role", "membership": own.pk, "role": "member"},
                 {"action": "remove", "membership": own.pk}):
        response = member.post("/work/members/", data)
        assert response.status_code == 403
        assert "只有本组织的管理员才能管理成员" in response.content.decode()

    # Another organisation's administrator works for their own: this one's are not theirs.
    other = signed_in(other_coop_user)
    assert coop.name not in other.get("/work/members/").content.decode()
    assert other.post("/work/members/", {"action": "remove",
                                         "membership": own.pk}).status_code == 404
    assert other.post("/work/members/", {"action": "role", "membership": own.pk,
                                         "role": "member"}).status_code == 404

    anonymous = Client()
    assert anonymous.get("/work/members/")["Location"].startswith("/account/sign-in/?next=")
    assert anonymous.post("/work/members/", {"action": "remove", "membership": own.pk}
                          )["Location"].startswith("/account/sign-in/?next=")
    assert not Invitation.objects.exists()
    assert Membership.objects.filter(organization=coop).count() == 2
    assert Membership.objects.get(pk=own.pk).role == "admin"


def test_without_texting_colleagues_are_invited_by_email(coop_client):
    page = coop_client.get("/work/members/").content.decode()
    assert 'name="phone"' not in page and "未开通短信" in page
    response = invite(coop_client, phone="13912345678")
    assert response.status_code == 400 and not Invitation.objects.exists()


def test_invite_form_shows_the_services_errors(sms_api, coop_client, plain_member):
    assert 'name="phone"' in coop_client.get("/work/members/").content.decode()
    response = invite(coop_client, phone="12345")
    assert response.status_code == 400 and "请填写11位大陆手机号" in response.content.decode()
    response = invite(coop_client, email="plain@example.com")
    assert response.status_code == 400 and "已经是本组织的成员" in response.content.decode()
    response = invite(coop_client)
    assert "请填写同事的手机号或电子邮箱" in response.content.decode()
    assert not Invitation.objects.exists()
