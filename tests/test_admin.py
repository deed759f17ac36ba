import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import make_quote

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label == "crisis"]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_load_for_a_superuser(
    admin_client, seeded, model
):
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    assert admin_client.get(reverse(f"{base}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"{base}_add")).status_code == 200
    obj = model.objects.first()
    assert obj is not None
    assert admin_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200
    assert (
        admin_client.get(reverse(f"{base}_history", args=[obj.pk])).status_code == 200
    )


def test_admin_search_finds_actor_by_alias(admin_client, seeded):
    response = admin_client.get(
        reverse("admin:crisis_actor_changelist"), {"q": "Olf Scholz"}
    )
    assert "Olaf Scholz" in response.content.decode()


def test_quote_admin_rejects_words_not_in_the_source(admin_client):
    quote = make_quote()
    url = reverse("admin:crisis_quote_change", args=[quote.pk])
    data = {
        "slug": quote.slug,
        "text": "Words never said",
        "speaker": quote.speaker.pk,
        "said_on": "2022-01-25",
        "date_precision": "day",
        "source": quote.source.pk,
        "status": "published",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "not verbatim" in response.content.decode()
    quote.refresh_from_db()
    assert quote.text == "We want calm,"
