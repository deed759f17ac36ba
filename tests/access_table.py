"""Who may use every view in the URLconf: the access-control table.

Every URL pattern must match an entry here, by its full name (``namespace:name``), by a
glob over names (``admin:crisis_*``), or, for unnamed patterns, by ``route:<route>``.
The most specific entry wins: an exact name, then the longest glob. ``tests/test_access.py``
fails for a view without an entry, for an entry that matches no view, and for any view
that lets in a role the table does not allow or shuts out one it does.

Adding a view is one line: its name, who may use it, the HTTP methods it accepts, and
where its URL arguments come from (``"app_label.Model.field"`` of a published record).
"""

import fnmatch
from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
VIEWER = "viewer"
ANALYST = "analyst"
EDITOR = "editor"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, VIEWER, ANALYST, EDITOR, SUPERUSER)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
# Analysts annotate; editors keep the facts and do not annotate.
ANNOTATORS = frozenset({ANALYST, SUPERUSER})
STAFF = frozenset({EDITOR, SUPERUSER})
# Analysts read every fact in the admin without changing any.
ADMIN_READERS = STAFF | {ANALYST}
SUPERUSERS = frozenset({SUPERUSER})
NOBODY = frozenset()


@dataclass(frozen=True)
class Access:
    allowed: frozenset
    methods: tuple = ("GET",)
    # URL kwarg -> "app_label.Model.field" whose value (from a published record) fills it.
    args: dict = field(default_factory=dict)
    # Why the view cannot be probed by a plain request; None means it is probed.
    not_probed: str | None = None

    @property
    def public_get(self):
        return ANONYMOUS in self.allowed and "GET" in self.methods

    @property
    def accepts_post(self):
        return "POST" in self.methods


ADMIN_FORM = ("GET", "POST")

ACCESS = {
    # Public pages.
    "crisis:timeline": Access(EVERYONE),
    "crisis:event_detail": Access(EVERYONE, args={"slug": "crisis.Event.slug"}),
    "crisis:actor_detail": Access(EVERYONE, args={"slug": "crisis.Actor.slug"}),
    "crisis:quote_detail": Access(EVERYONE, args={"slug": "crisis.Quote.slug"}),
    "crisis:source_detail": Access(EVERYONE, args={"slug": "crisis.Source.slug"}),
    "crisis:citation_passage": Access(EVERYONE, args={"pk": "crisis.Citation.pk"}),
    "crisis:event_table": Access(EVERYONE),
    "crisis:export_*": Access(EVERYONE),
    "crisis:actor_list": Access(EVERYONE),
    "crisis:actor_suggestions": Access(EVERYONE),
    "crisis:country_suggestions": Access(EVERYONE),
    "crisis:speaker_suggestions": Access(EVERYONE),
    "crisis:quote_list": Access(EVERYONE),
    "crisis:source_list": Access(EVERYONE),
    "healthz": Access(EVERYONE),
    # Stories, embeds, oEmbed, share images and the map: public reading.
    "stories:list": Access(EVERYONE),
    "stories:detail": Access(EVERYONE, args={"slug": "stories.Story.slug"}),
    "stories:detail_step": Access(
        EVERYONE,
        args={"slug": "stories.Story.slug", "number": "stories.StoryStep.position"},
    ),
    "sharing:embed_timeline": Access(EVERYONE),
    "sharing:embed_story": Access(EVERYONE, args={"slug": "stories.Story.slug"}),
    "sharing:embed_story_step": Access(
        EVERYONE,
        args={"slug": "stories.Story.slug", "number": "stories.StoryStep.position"},
    ),
    "sharing:oembed": Access(
        EVERYONE, not_probed="answers only with a url= of a page to embed"
    ),
    "sharing:timeline_image": Access(EVERYONE),
    "sharing:event_image": Access(EVERYONE, args={"slug": "crisis.Event.slug"}),
    "sharing:story_image": Access(EVERYONE, args={"slug": "stories.Story.slug"}),
    "maps:*": Access(EVERYONE),
    "favicon": Access(EVERYONE),
    # Signing in and out; changing one's password needs an account.
    "login": Access(EVERYONE, methods=("GET", "POST")),
    "logout": Access(EVERYONE, methods=("POST",)),
    "password_change": Access(SIGNED_IN, methods=("GET", "POST")),
    "password_change_done": Access(SIGNED_IN),
    # Annotation: analysts only, enforced in the views and in the querysets.
    "annotations:annotation_block": Access(ANNOTATORS),
    "annotations:annotation_create": Access(ANNOTATORS, methods=("GET", "POST")),
    "annotations:annotation_update": Access(
        ANNOTATORS,
        methods=("GET", "POST"),
        not_probed="needs an annotation of the caller's own; "
        "tests/test_views_annotations.py walks the visibility matrix",
    ),
    "annotations:annotation_delete": Access(
        ANNOTATORS,
        methods=("GET", "POST"),
        not_probed="needs an annotation of the caller's own; "
        "tests/test_views_annotations.py walks the visibility matrix",
    ),
    "annotations:workspace": Access(ANNOTATORS),
    "annotations:annotations_export_*": Access(ANNOTATORS),
    # The admin: editors keep the facts, accounts and sign-in records are superusers'.
    "admin:login": Access(EVERYONE, methods=ADMIN_FORM),
    "admin:*": Access(STAFF, methods=ADMIN_FORM),
    "admin:index": Access(ADMIN_READERS),
    "admin:jsi18n": Access(ADMIN_READERS),
    "admin:password_change*": Access(ADMIN_READERS, methods=ADMIN_FORM),
    # Lists of deleted records are readable; restoring one needs the change permission.
    "admin:crisis_*_deleted": Access(ADMIN_READERS),
    "admin:crisis_*_changelist": Access(ADMIN_READERS, methods=ADMIN_FORM),
    "admin:crisis_*_change": Access(ADMIN_READERS, methods=ADMIN_FORM),
    "admin:crisis_*_history": Access(ADMIN_READERS),
    "admin:stories_*_changelist": Access(ADMIN_READERS, methods=ADMIN_FORM),
    "admin:stories_*_change": Access(ADMIN_READERS, methods=ADMIN_FORM),
    "admin:stories_*_history": Access(ADMIN_READERS),
    "admin:crisis_*_export": Access(ADMIN_READERS, methods=ADMIN_FORM),
    # django-import-export's second step only takes the confirmed upload.
    "admin:crisis_*_process_import": Access(STAFF, methods=("POST",)),
    # Signing out is harmless for anyone; it only ends the caller's own session.
    "admin:logout": Access(EVERYONE, methods=("POST",)),
    "admin:autocomplete": Access(
        STAFF, not_probed="answers only with a model and field to complete"
    ),
    "admin:auth_*": Access(SUPERUSERS, methods=ADMIN_FORM),
    "admin:axes_*": Access(SUPERUSERS, methods=ADMIN_FORM),
    # Sign-in records are written by axes alone, never added by hand.
    "admin:axes_*_add": Access(NOBODY, methods=ADMIN_FORM),
    "route:admin/*": Access(STAFF),
    # The extraction assistant: editors bring articles in and review its proposals.
    "extraction:import": Access(STAFF, methods=ADMIN_FORM),
    "extraction:review": Access(STAFF, args={"pk": "crisis.Source.pk"}),
    "extraction:confirm": Access(
        STAFF, methods=("POST",), args={"pk": "crisis.Source.pk"}
    ),
    "extraction:decide": Access(
        STAFF,
        methods=("POST",),
        not_probed="needs a proposal key; tests/extraction/test_views.py covers it",
    ),
    "extraction:edit": Access(
        STAFF,
        methods=ADMIN_FORM,
        not_probed="needs a proposal key; tests/extraction/test_views.py covers it",
    ),
}


def entry_for(key):
    """The entry governing a URL pattern key, or None when the table has none."""
    if key in ACCESS:
        return ACCESS[key]
    globs = [pattern for pattern in ACCESS if "*" in pattern]
    matching = [pattern for pattern in globs if fnmatch.fnmatchcase(key, pattern)]
    if not matching:
        return None
    return ACCESS[max(matching, key=len)]


@dataclass(frozen=True)
class View:
    """One URL pattern of the resolved URLconf."""

    key: str  # "namespace:name", or "route:<route>" when unnamed
    name: str | None
    route: str
    kwargs: frozenset  # named URL arguments
    positional: int  # unnamed regex groups: such a URL cannot be built from kwargs

    @property
    def entry(self):
        return entry_for(self.key)


def _pattern_arguments(pattern):
    regex = pattern.regex
    named = frozenset(regex.groupindex)
    return named, regex.groups - len(named)


def all_views(resolver=None, prefix="", namespace="", kwargs=frozenset(), positional=0):
    """Every URL pattern of the URLconf, recursing into includes."""
    from django.urls import URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        named, unnamed = _pattern_arguments(pattern.pattern)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from all_views(
                pattern, route, inner, kwargs | named, positional + unnamed
            )
            continue
        name = None
        if pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        yield View(
            key=name or f"route:{route}",
            name=name,
            route=route,
            kwargs=kwargs | named,
            positional=positional + unnamed,
        )


def probe_targets():
    """Views that a plain request can reach: named, with every URL argument sourced."""
    for view in all_views():
        entry = view.entry
        if entry is None or entry.not_probed or view.name is None or view.positional:
            continue
        if view.kwargs - set(entry.args):
            continue
        yield view, entry


def sample_value(spec):
    """The value of "app_label.Model.field" on the first published (or any) record."""
    from django.apps import apps

    model_label, field_name = spec.rsplit(".", 1)
    records = apps.get_model(model_label)._default_manager.all()
    if hasattr(records, "published"):
        records = records.published()
    record = records.order_by("pk").first()
    if record is None:
        raise LookupError(f"no {model_label} record to fill a URL argument from")
    return getattr(record, field_name)


def url_for(view):
    from django.urls import reverse

    entry = view.entry
    return reverse(
        view.name, kwargs={name: sample_value(entry.args[name]) for name in view.kwargs}
    )
