from django.urls import path

from concord.accounts import views

app_name = "accounts"
urlpatterns = [
    path("members/", views.members, name="members"),
    path("organisations/<int:organisation_pk>/invite/", views.invite, name="member-invite"),
    path("memberships/<int:pk>/role/", views.change_role, name="membership-role"),
    path("memberships/<int:pk>/end/", views.end_membership, name="membership-end"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="invitation-revoke"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation-accept"),
    path("audit/", views.audit, name="audit"),
    path("api-token/", views.api_token, name="api-token"),
]
