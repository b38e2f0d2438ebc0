"""The livestream host's and the operator's pages, mounted at ``/work/live/`` (URL names in
the ``workbench`` namespace, prefixed ``live-``), and their sections of the navigation."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .nav import Section, register
from .roles import HOST, OPERATOR, PRODUCER
from .views import live, live_console

# The week comes first (order 5): for a host who also works for a cooperative it is the
# first tab of the bottom navigation, ahead of the producer's.
for _section in (
    Section("live", _("Broadcasts"), "live", (HOST, OPERATOR),
            _("The week at a glance, clashes, line-ups and the live console."), primary=True,
            order=5, short=_("Live")),
    Section("live-schedules", _("Weekly schedules"), "live-schedules", (HOST, OPERATOR),
            _("A broadcast every week at the same time, booked weeks ahead."), order=72),
    Section("live-reviews", _("Reviews"), "live-reviews", (HOST, OPERATOR),
            _("After a broadcast: sales over time and per cooperative, exports."),
            primary=True, order=74, short=_("Review")),
    Section("live-coverage", _("Coverage"), "live-coverage", (HOST, OPERATOR),
            _("Broadcasts per county and week against the one-a-week rule."), primary=True,
            order=76),
    Section("live-offers", _("Live selling offers"), "live-offers", (PRODUCER,),
            _("Agree to have your goods sold in live broadcasts: lowest price, most units."),
            order=55),
):
    register(_section)

urlpatterns = [
    path("", live.week, name="live"),
    path("new/", live.broadcast_create, name="live-broadcast-create"),
    path("schedules/", live.schedules, name="live-schedules"),
    path("coverage/", live.coverage, name="live-coverage"),
    path("reviews/", live_console.reviews, name="live-reviews"),
    path("offers/", live.offers, name="live-offers"),
    path("<int:pk>/", live.broadcast_detail, name="live-broadcast"),
    path("<int:pk>/cancel/", live_console.cancel, name="live-broadcast-cancel"),
    path("<int:pk>/console/", live_console.console, name="live-console"),
    path("<int:pk>/console/feed/", live_console.console_feed, name="live-console-feed"),
    path("<int:pk>/review/", live_console.review, name="live-review"),
]
