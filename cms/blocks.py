"""StreamField blocks shared by every page family (STYLE.md §8: template, preview_value, description)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .offers import offer_cards_resolve, offer_ref_parse


class ImageBlock(blocks.StructBlock):
    """A photo with caption and credit: the credit is mandatory in spirit (photographers, free licences)."""

    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = _("A photo with its caption and credit.")
        label = _("Image")


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    images = blocks.ListBlock(ImageBlock(), label=_("images"), min_num=1)

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"
        description = _("A grid of photos.")
        label = _("Gallery")


class MapPointBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=120)
    lat = blocks.FloatBlock(label=_("latitude"), min_value=-90, max_value=90)
    lng = blocks.FloatBlock(label=_("longitude"), min_value=-180, max_value=180)

    class Meta:
        icon = "site"
        label = _("Map point")


class MapBlock(blocks.StructBlock):
    """A Leaflet map of a few points (tiles come from settings.MAP_TILE_URL)."""

    title = blocks.CharBlock(label=_("title"), required=False)
    points = blocks.ListBlock(MapPointBlock(), label=_("points"), min_num=1)
    zoom = blocks.IntegerBlock(label=_("zoom"), min_value=3, max_value=18, default=12)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["block_id"] = f"map-{id(value)}"  # unique per rendering: a page may hold several maps
        return context

    class Meta:
        icon = "site"
        template = "blocks/map_block.html"
        description = _("A map with markers.")
        label = _("Map")
        preview_value = {"title": "Lucca", "points": [{"label": "Lucca", "lat": 43.8429, "lng": 10.5027}], "zoom": 12}


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or external link"), required=False)
    button = blocks.CharBlock(label=_("button text"), max_length=60, default=_("Discover"))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        description = _("A highlighted box with a button.")
        label = _("Call to action")
        preview_value = {"title": "Book your stay", "text": "Packages with local operators.", "button": "Discover"}


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("answer"), features=["bold", "italic", "link", "ul"])


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, default=_("Frequently asked questions"))
    items = blocks.ListBlock(FAQItemBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        description = _("Questions and answers (also published as schema.org FAQPage).")
        label = _("FAQ")


class CollectionTeaserBlock(blocks.StructBlock):
    collection = blocks.PageChooserBlock(label=_("collection"), page_type="cms.CollectionPage")
    text = blocks.TextBlock(label=_("text"), required=False)

    class Meta:
        icon = "list-ul"
        template = "blocks/collection_teaser_block.html"
        description = _("A teaser that links to a curated collection.")
        label = _("Collection teaser")


def _offer_ref(value: str) -> None:
    if offer_ref_parse(value) is None:
        raise ValidationError(_("Choose an offer with the chooser."))


class OfferChoiceBlock(blocks.FieldBlock):
    """One offer ("package:12") of any registered provider (cms/offers.py), picked with the offer chooser
    (cms/offer_chooser.py: search and filters in Wagtail's chooser modal).

    The value is the reference string, as when this block was a choice among every offer: pages saved
    before keep their data as it is. Nothing is looked up on the public side (`to_python` keeps the
    string): the pages resolve their references in one batch per provider.
    """

    def __init__(self, required=True, help_text=None, **kwargs):
        self._required = required
        self._help_text = help_text
        kwargs.setdefault("label", _("offer"))
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        from .offer_chooser import OfferChooserWidget  # admin code, loaded when a form needs it

        return forms.CharField(
            required=self._required, help_text=self._help_text, widget=OfferChooserWidget(), validators=[_offer_ref]
        )

    def get_form_state(self, value):
        return self.field.widget.get_value_data(value)

    def to_python(self, value):
        return value

    def bulk_to_python(self, values):
        return list(values)

    class Meta:
        icon = "tag"


class OfferCardsBlock(blocks.StructBlock):
    """Chosen packages or services as cards with live price-from and labels; unavailable ones vanish."""

    title = blocks.CharBlock(label=_("title"), required=False)
    offers = blocks.ListBlock(OfferChoiceBlock(), label=_("offers"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["cards"] = offer_cards_resolve(refs=value["offers"], language=translation.get_language())
        return context

    class Meta:
        icon = "tag"
        template = "blocks/offer_cards_block.html"
        description = _("Packages or services, with live prices: withdrawn ones drop out by themselves.")
        label = _("Offer cards")


class BaseStreamBlock(blocks.StreamBlock):
    """The body of every destination page."""

    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", icon="title", template="blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), icon="pilcrow", template="blocks/paragraph_block.html")
    image = ImageBlock()
    gallery = GalleryBlock()
    map = MapBlock()
    call_to_action = CallToActionBlock()
    faq = FAQBlock()
    embed = EmbedBlock(label=_("Embed"), icon="media", template="blocks/embed_block.html")
    collection_teaser = CollectionTeaserBlock()
    offer_cards = OfferCardsBlock()


class ItineraryStageBlock(blocks.StructBlock):
    """One stage of an itinerary: its map point feeds the map, the GPX file and the JSON-LD."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"], required=False)
    image = ImageChooserBlock(label=_("photo"), required=False)
    lat = blocks.FloatBlock(label=_("latitude"), min_value=-90, max_value=90)
    lng = blocks.FloatBlock(label=_("longitude"), min_value=-180, max_value=180)
    distance_km = blocks.DecimalBlock(label=_("distance from previous stage (km)"), required=False, decimal_places=1)

    class Meta:
        icon = "site"
        label = _("Stage")
        template = "blocks/itinerary_stage_block.html"
