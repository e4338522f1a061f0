"""The network seam: each network declares its capabilities and options, Django's
system checks report what is missing or wrong, and adapters and login flows read
their own options, never global settings."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from publishing.models import Channel
from publishing.networks import BaseNetwork, adapter_for, login_for, post_hosts
from publishing.networks.facebook import FacebookNetwork
from tests.publishing.factories import fb_channel
from tests.sandbox import network_options


class Unfinished(BaseNetwork):
    """A network that declares a name and nothing else, and posts nothing."""

    name = "unfinished"
    label = "Unfinished"


def errors(settings, network, config):
    """(id, message) of the system check's errors for `network` set to `config`."""
    settings.PUBLISHING_NETWORKS = {**settings.PUBLISHING_NETWORKS, network: config}
    return [
        (error.id, error.msg)
        for error in run_checks()
        if error.id.startswith("publishing.E0") and network in error.msg
    ]


def facebook(**options):
    base = {"app_id": "app", "app_secret": "secret"}
    return {
        "BACKEND": "publishing.networks.facebook.FacebookNetwork",
        "OPTIONS": {**base, **options},
    }


class TestSystemChecks:
    def test_the_configured_networks_pass(self, settings):
        assert errors(settings, "facebook", facebook()) == []

    def test_a_missing_option_is_named(self, settings):
        config = facebook()
        del config["OPTIONS"]["app_secret"]
        [(check_id, message)] = errors(settings, "facebook", config)
        assert check_id == "publishing.E010"
        assert "'app_secret' is missing" in message
        assert "FACEBOOK_APP_SECRET" in message

    def test_an_unknown_option_is_named_with_the_known_ones(self, settings):
        [(check_id, message)] = errors(settings, "facebook", facebook(graph_ulr="x"))
        assert check_id == "publishing.E011"
        assert "unknown option 'graph_ulr'" in message and "graph_url" in message

    @pytest.mark.parametrize(
        "option, value, wanted",
        [("timeout", "20", "int or float"), ("api_version", 24, "str")],
    )
    def test_an_option_of_a_wrong_type(self, settings, option, value, wanted):
        config = facebook(**{option: value})
        [(check_id, message)] = errors(settings, "facebook", config)
        assert check_id == "publishing.E012"
        assert f"option {option!r} must be {wanted}" in message

    def test_a_network_missing_capabilities_and_methods(self, settings):
        config = {"BACKEND": "tests.publishing.test_networks.Unfinished"}
        found = errors(settings, "unfinished", config)
        assert {check_id for check_id, _message in found} == {"publishing.E013"}
        text = " ".join(message for _id, message in found)
        for capability in ("login", "payload_kinds", "default_template", "post_hosts"):
            assert f"declares no {capability!r}" in text
        assert "does not implement check, fetch_engagement" in text

    def test_a_backend_that_is_not_a_network(self, settings):
        config = {"BACKEND": "publishing.models.Channel"}
        [(check_id, _message)] = errors(settings, "facebook", config)
        assert check_id == "publishing.E001"

    def test_an_adapter_refuses_wrong_options_with_the_same_words(self, settings):
        config = facebook(timeout="soon")
        settings.PUBLISHING_NETWORKS = {
            **settings.PUBLISHING_NETWORKS,
            "facebook": config,
        }
        channel = Channel(network="facebook", external_id="1")
        with pytest.raises(Exception, match="'timeout' must be int or float"):
            adapter_for(channel)


@pytest.mark.django_db
class TestOptions:
    def test_the_adapter_calls_the_configured_version_and_host(
        self, settings, sandbox, org
    ):
        channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
        network_options(settings, "facebook", api_version="v25.0")
        adapter_for(channel).fetch_followers()
        [call] = sandbox.calls("facebook")
        assert call["path"].startswith("/v25.0/")

    def test_the_login_reads_its_options(self, settings):
        network_options(
            settings, "facebook", dialog_url="https://dialog.example/", app_id="42"
        )
        url = login_for("facebook").start("https://cb.example/", "s", {})
        assert url.startswith("https://dialog.example/v24.0/dialog/oauth?client_id=42")

    def test_post_hosts_are_the_network_s_and_its_api_s(self, settings):
        network_options(settings, "zalo", openapi_url="http://127.0.0.1:8100/")
        assert post_hosts("zalo") == ("zalo.me", "zaloapp.com", "zalo.vn", "127.0.0.1")
        assert post_hosts("facebook")[:3] == FacebookNetwork.post_hosts


@pytest.mark.django_db
def test_the_channel_list_offers_one_connect_button_per_network(org, client):
    client.force_login(org.user("quantri", superuser=True))
    html = client.get(reverse("publishing_channels:index")).content.decode()
    for network in ("facebook", "zalo"):
        assert reverse("publishing_connect", args=[network]) in html
    assert "Kết nối Facebook" in html and "Kết nối Zalo OA" in html
