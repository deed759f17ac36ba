"""Forms of the assistant: bringing an article in, and correcting a proposal."""

from django import forms
from django.utils.text import slugify

from crisis.models import ActorKind, Category, DatePrecision, Source
from crisis.text import occurs_verbatim
from extraction.html_import import UnreadableArticle, read_upload


class ArticleForm(forms.Form):
    """Paste the text or upload a file; the details read from it come back to check."""

    upload = forms.FileField(
        label="Article file",
        required=False,
        help_text="A .txt or .md file, or a web page saved as .html. Nothing is fetched "
        "from the web: the page is read as saved.",
    )
    text = forms.CharField(
        label="Article text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Or paste the text here, exactly as published.",
    )
    title = forms.CharField(max_length=300, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    author = forms.CharField(
        max_length=200,
        required=False,
        help_text="Read from a saved page, when it names one; check it.",
    )
    url = forms.URLField(
        label="URL", max_length=500, required=False, assume_scheme="https"
    )
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        help_text="Relative dates in the text (“on Wednesday”) are read from this date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.CharField(max_length=16, initial="en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = None

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            try:
                self.article = read_upload(upload)
            except UnreadableArticle as error:
                self.add_error("upload", str(error))
            return data
        for name, message in (
            ("text", "Paste the article's text or upload a file."),
            ("title", "Give the source a title."),
            ("published_on", "Give the publication date."),
        ):
            if not data.get(name):
                self.add_error(name, message)
        return data

    def read_back(self):
        """A form filled with what the upload held, for the editor to check."""
        article = self.article
        initial = {
            "text": article.text,
            "title": article.title or self.cleaned_data.get("title", ""),
            "publisher": article.publisher or self.cleaned_data.get("publisher", ""),
            "author": article.author,
            "url": article.url or self.cleaned_data.get("url", ""),
            "published_on": article.published_on
            or self.cleaned_data.get("published_on"),
            "language": self.cleaned_data.get("language") or "en",
        }
        return ArticleForm(initial=initial)

    def save(self):
        data = self.cleaned_data
        source = Source(
            title=data["title"],
            slug=_unique_slug(data["title"]),
            publisher=data["publisher"],
            author=data["author"],
            url=data["url"],
            published_on=data["published_on"],
            language=data["language"],
            text=data["text"],
        )
        source.full_clean()
        source.save()
        return source


def _unique_slug(title):
    base = slugify(title)[:100] or "source"
    slug, number = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class ExcerptMixin:
    def clean_excerpt(self):
        excerpt = self.cleaned_data["excerpt"]
        if not occurs_verbatim(excerpt, self.source.text):
            raise forms.ValidationError(
                "This excerpt was not found in the source. Copy the passage exactly "
                "as the source prints it."
            )
        return excerpt


class EventProposalForm(ExcerptMixin, forms.Form):
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_precision = forms.ChoiceField(choices=DatePrecision.choices)
    category = forms.ChoiceField(choices=Category.choices)
    excerpt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, source, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)


class QuoteProposalForm(ExcerptMixin, forms.Form):
    text = forms.CharField(
        label="Words quoted", widget=forms.Textarea(attrs={"rows": 2})
    )
    speaker = forms.CharField(
        max_length=200,
        help_text="An actor's name or alias; a name not on file makes a new actor.",
    )
    said_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_precision = forms.ChoiceField(choices=DatePrecision.choices)
    excerpt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, source, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not occurs_verbatim(text, self.source.text):
            raise forms.ValidationError(
                "These words do not occur in the source. Copy them exactly as printed."
            )
        return text


class ActorProposalForm(forms.Form):
    name = forms.CharField(max_length=200)
    title = forms.CharField(label="Role or title", max_length=200, required=False)
    kind = forms.ChoiceField(choices=ActorKind.choices)
    country = forms.CharField(
        max_length=2, required=False, help_text="ISO 3166 code, e.g. FR."
    )

    def __init__(self, *args, source, **kwargs):
        self.source = source
        super().__init__(*args, **kwargs)

    def clean_country(self):
        return self.cleaned_data["country"].upper()
