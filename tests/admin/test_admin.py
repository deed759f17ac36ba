import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from crisis.models import Citation, Event, EventActor, Quote, Source, Status, Tag
from tests.admin_forms import admin_form_data
from tests.factories import make_actor, make_event, make_quote, make_source, make_user

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


def test_admin_event_search_is_the_full_text_search(admin_client):
    """Words anywhere in the document, accents ignored; no LIKE over every field."""
    actor = make_actor(name="Volodymyr Zelensky")
    found = make_event(title="Address to the nation", actors=[actor])
    make_event(title="Zelenskyy-free headline")
    url = reverse("admin:crisis_event_changelist")
    response = admin_client.get(url, {"q": "Zélensky addr"})
    assert list(response.context["cl"].result_list) == [found]


def test_admin_event_search_finds_an_exact_slug(admin_client):
    event = make_event(slug="talks-in-geneva-2022", title="Talks")
    make_event(title="Talks in Geneva")
    response = admin_client.get(
        reverse("admin:crisis_event_changelist"), {"q": "talks-in-geneva-2022"}
    )
    assert event in response.context["cl"].result_list


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


# --- changelists: a fixed number of queries, however many rows -----------------------


def _rows(count):
    tag = Tag.objects.create(name="talks", slug="talks")
    source = make_source()
    for _ in range(count):
        event = make_event(source=source)
        event.tags.add(tag)
        make_quote(source=source, event=event)


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, model, rows
):
    """Guards against N+1 queries in every admin changelist (same budget at 5 and 50)."""
    _rows(rows)
    opts = model._meta
    with django_assert_max_num_queries(12):
        response = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
    assert response.status_code == 200


# --- publishing ------------------------------------------------------------------------


def _publish(client, model, objects):
    return client.post(
        reverse(f"admin:crisis_{model._meta.model_name}_changelist"),
        {"action": "publish_selected", "_selected_action": [o.pk for o in objects]},
        follow=True,
    )


def test_publish_action_publishes_nothing_when_one_event_lacks_a_citation(
    admin_client,
):
    ready = make_event(status=Status.DRAFT, title="Ready")
    uncited = make_event(status=Status.DRAFT, title="Uncited")
    uncited.citations.all().delete()
    response = _publish(admin_client, Event, [ready, uncited])
    text = response.content.decode()
    assert "Nothing was published" in text
    assert "“Uncited” has no citation" in text
    assert not Event.objects.published().exists()


def test_publish_action_refuses_an_event_without_actors(admin_client):
    lonely = make_event(status=Status.DRAFT, title="Lonely")
    lonely.event_actors.all().delete()
    response = _publish(admin_client, Event, [lonely])
    assert "“Lonely” has no actor" in response.content.decode()
    lonely.refresh_from_db()
    assert lonely.status == Status.DRAFT


def test_publish_action_records_who_published_in_history(admin_client, admin_user):
    event = make_event(status=Status.DRAFT)
    _publish(admin_client, Event, [event])
    latest = event.history.latest("history_date")
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        Status.PUBLISHED,
        admin_user,
        "Published",
    )


def test_unpublish_action_returns_quotes_to_draft(admin_client):
    quote = make_quote()
    admin_client.post(
        reverse("admin:crisis_quote_changelist"),
        {"action": "unpublish_selected", "_selected_action": [quote.pk]},
    )
    quote.refresh_from_db()
    assert quote.status == Status.DRAFT


# --- validation in the change forms: clear messages, nothing saved half-way -------------


def _change_page(client, obj):
    return client.get(
        reverse(f"admin:crisis_{obj._meta.model_name}_change", args=[obj.pk])
    )


def test_removing_the_last_actor_of_a_published_event_is_refused(admin_client):
    event = make_event(title="Kept whole")
    page = _change_page(admin_client, event)
    data = admin_form_data(page, title="Renamed")
    data["event_actors-0-DELETE"] = "on"
    response = admin_client.post(page.wsgi_request.path, data)
    assert response.status_code == 200
    assert "A published event needs at least one actor" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Kept whole"
    assert event.event_actors.count() == 1


def test_end_before_start_is_refused_with_a_clear_message(admin_client):
    event = make_event()
    page = _change_page(admin_client, event)
    response = admin_client.post(
        page.wsgi_request.path,
        admin_form_data(page, start_date="2022-01-25", end_date="2022-01-20"),
    )
    assert "The end date cannot be before the start date." in response.content.decode()
    event.refresh_from_db()
    assert event.end_date is None


def test_duplicate_slug_is_refused_with_a_clear_message(admin_client):
    make_event(slug="taken")
    event = make_event()
    page = _change_page(admin_client, event)
    response = admin_client.post(
        page.wsgi_request.path, admin_form_data(page, slug="taken")
    )
    assert "Another event already uses this slug" in response.content.decode()


def test_an_excerpt_missing_from_its_source_names_the_source(admin_client):
    event = make_event()
    source = event.citations.get().source
    page = _change_page(admin_client, event)
    response = admin_client.post(
        page.wsgi_request.path,
        admin_form_data(page, **{"citations-0-excerpt": "Words from nowhere."}),
    )
    text = response.content.decode()
    assert "This excerpt was not found in the source" in text
    assert source.title in text
    assert event.citations.get().excerpt == "Leaders met in Paris on Wednesday."


# --- importing a new source ----------------------------------------------------------


def test_a_new_source_leads_to_adding_events_citing_it(admin_client):
    response = admin_client.post(
        reverse("admin:crisis_source_add"),
        {
            "title": "Talks in Geneva",
            "slug": "talks-in-geneva",
            "publisher": "Wire",
            "url": "",
            "published_on": "2022-01-21",
            "language": "en",
            "text": "Blinken and Lavrov met in Geneva on Friday for ninety minutes.",
        },
        follow=True,
    )
    source = Source.objects.get(slug="talks-in-geneva")
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:crisis_source_change", args=[source.pk]
    )
    assert "Now add the events and quotes it supports" in text
    assert f"?cite_source={source.pk}" in text
    add_event = admin_client.get(
        reverse("admin:crisis_event_add"), {"cite_source": source.pk}
    )
    formset = next(
        inline.formset
        for inline in add_event.context["inline_admin_formsets"]
        if inline.formset.prefix == "citations"
    )
    assert formset.forms[0].initial["source"] == source.pk


def test_the_import_page_is_titled_for_editors(admin_client):
    response = admin_client.get(reverse("admin:crisis_source_add"))
    assert "Import a new source" in response.content.decode()


def test_a_source_passage_can_be_cited_from_the_source_page(admin_client):
    event = make_event()
    source = make_source(text="The minister said the talks were useful.")
    page = _change_page(admin_client, source)
    data = admin_form_data(page)
    data.update(
        {
            "citations-TOTAL_FORMS": "1",
            "citations-0-excerpt": "the talks were useful",
            "citations-0-event": str(event.pk),
            "citations-0-quote": "",
        }
    )
    response = admin_client.post(page.wsgi_request.path, data)
    assert response.status_code == 302
    assert Citation.objects.filter(source=source, event=event).exists()


# --- drafts: invisible to the public, previewable by staff ----------------------------


def test_a_draft_event_is_hidden_from_the_public_and_previewed_by_staff(
    client, admin_client
):
    draft = make_event(status=Status.DRAFT, title="Secret draft")
    assert "Secret draft" not in client.get("/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "visible to staff only" in preview.content.decode()


def test_a_draft_quote_is_hidden_from_the_public_and_previewed_by_staff(
    client, admin_client
):
    event = make_event()
    quote = make_quote(event=event, status=Status.DRAFT)
    assert client.get(quote.get_absolute_url()).status_code == 404
    assert "We want calm" not in client.get(event.get_absolute_url()).content.decode()
    assert admin_client.get(quote.get_absolute_url()).status_code == 200
    preview = admin_client.get(event.get_absolute_url()).content.decode()
    assert "We want calm" in preview
    assert "Draft quote" in preview


def test_the_change_page_links_to_the_record_on_the_site(admin_client):
    event = make_event(status=Status.DRAFT)
    page = _change_page(admin_client, event).content.decode()
    assert "View on site" in page


def test_a_user_without_publish_permission_cannot_set_the_status(client):
    user = make_user(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_event",
                "change_event",
                "view_eventactor",
                "change_eventactor",
                "add_eventactor",
                "view_citation",
                "change_citation",
                "add_citation",
                "view_quote",
                "change_quote",
            ]
        )
    )
    client.force_login(user)
    event = make_event(status=Status.DRAFT)
    page = _change_page(client, event)
    assert "status" not in page.context["adminform"].form.fields
    client.post(page.wsgi_request.path, admin_form_data(page, status="published"))
    event.refresh_from_db()
    assert event.status == Status.DRAFT


def test_event_actor_admin_lists_links(admin_client):
    event = make_event()
    actor = make_actor(name="Listed Actor")
    EventActor.objects.create(event=event, actor=actor, role="target")
    response = admin_client.get(reverse("admin:crisis_eventactor_changelist"))
    assert "Listed Actor" in response.content.decode()
    assert Quote.objects.count() == 0
