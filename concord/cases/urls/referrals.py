"""URL patterns of the consent, referral, directory and notification pages (included by
cases/urls/__init__.py)."""

from django.urls import path

from concord.cases.views import referrals as views

urlpatterns = [
    path("<casecode:code>/referrals/", views.case_referrals, name="case_referrals"),
    path("<casecode:code>/consents/", views.consents, name="consents"),
    path("<casecode:code>/consents/add/", views.consent_add, name="consent_add"),
    path("<casecode:code>/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<casecode:code>/refer/", views.referral_new, name="referral_new"),
    path("referrals/inbox/", views.inbox, name="inbox"),
    path("referrals/outbox/", views.outbox, name="outbox"),
    path("referrals/directory/", views.directory, name="directory"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/<slug:action>/", views.referral_action, name="referral_action"),
    path("notifications/", views.notifications, name="notifications"),
]
