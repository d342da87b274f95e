"""Atom feeds of a region's published public updates, and of one tag (Django's syndication
framework). Entries carry the sanitised article, so a feed reader runs nothing from it."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .selectors import updates as selectors


class RegionFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return selectors.public_profile(slug).region

    def title(self, region):
        return f"{region.name} regional updates"

    def link(self, region):
        return self._region_link(region)

    def _region_link(self, region):
        from django.urls import reverse

        return reverse("regions:public_region", kwargs={"slug": region.slug})

    def subtitle(self, region):
        return f"Sector-led improvement news from the {region.name} region."

    def items(self, region):
        return selectors.public_updates(region)[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.public_url(item.region.slug)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class TagFeed(RegionFeed):
    def get_object(self, request, slug, tag):
        region = selectors.public_profile(slug).region
        return region, selectors.tag_by_slug(tag)

    def title(self, obj):
        region, tag = obj
        return f"{region.name} regional updates tagged {tag.name}"

    def link(self, obj):
        from django.urls import reverse

        region, tag = obj
        return reverse("regions:public_tag", kwargs={"slug": region.slug, "tag": tag.slug})

    def subtitle(self, obj):
        region, tag = obj
        return f"Updates from the {region.name} region tagged {tag.name}."

    def items(self, obj):
        region, tag = obj
        return selectors.public_updates(region, tag=tag)[:20]
