"""URL patterns of the referrals pages (included by cases/urls/__init__.py).

Patterns pointing at `not_built` are placeholders for pages still to come; they answer 404.
"""

from django.urls import path

from concord.cases.views.common import not_built

urlpatterns = [
    path("<casecode:code>/referrals/", not_built, name="case_referrals"),
    path("<casecode:code>/consents/", not_built, name="consents"),
    path("<casecode:code>/consents/add/", not_built, name="consent_add"),
    path("<casecode:code>/consents/<int:pk>/withdraw/", not_built, name="consent_withdraw"),
    path("<casecode:code>/refer/", not_built, name="referral_new"),
    path("referrals/inbox/", not_built, name="inbox"),
    path("referrals/outbox/", not_built, name="outbox"),
    path("referrals/directory/", not_built, name="directory"),
    path("referrals/<int:pk>/", not_built, name="referral"),
    path("referrals/<int:pk>/<slug:action>/", not_built, name="referral_action"),
    path("notifications/", not_built, name="notifications"),
]
