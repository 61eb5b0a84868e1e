"""`gaoxin up`: the address QR posters carry follows the address it serves on."""

import os

import pytest
from django.core.management import call_command

from gaoxin.core.management.commands import up
from gaoxin.core.management.commands.up import public_url


def test_public_url_follows_the_served_address():
    assert public_url(host="127.0.0.1", port=8101, environ={}) == "http://127.0.0.1:8101"
    assert public_url(host="192.0.2.7", port=8000, environ={}) == "http://192.0.2.7:8000"
    assert public_url(host="::1", port=8101, environ={}) == "http://[::1]:8101"


def test_public_url_setting_wins_over_the_served_address():
    env = {"GAOXIN_PUBLIC_URL": "https://gx.example.cn/"}
    assert public_url(host="127.0.0.1", port=8101, environ=env) == "https://gx.example.cn"


def test_every_interface_leaves_the_address_to_each_request():
    # 0.0.0.0 is no address a phone can reach: posters then follow the page's own address
    assert public_url(host="0.0.0.0", port=8101, environ={}) == ""


@pytest.mark.django_db
def test_up_hands_the_served_address_to_gunicorn(monkeypatch, zone_a):
    monkeypatch.delenv("GAOXIN_PUBLIC_URL", raising=False)  # restored after the test
    started = {}

    def fake_exec(path, argv, env):
        started.update(argv=argv, env=dict(env))

    monkeypatch.setattr(up.os, "execvpe", fake_exec)
    call_command("up", "--port", "8101", "--workers", "1")
    assert started["argv"][started["argv"].index("--bind") + 1] == "127.0.0.1:8101"
    assert started["env"]["GAOXIN_PUBLIC_URL"] == "http://127.0.0.1:8101"
    assert os.environ["GAOXIN_PUBLIC_URL"] == "http://127.0.0.1:8101"
