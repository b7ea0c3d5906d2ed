from django.http import Http404, HttpRequest, HttpResponse


def placeholder(
    request: HttpRequest, **kwargs: object
) -> HttpResponse:  # scaffolding, replaced by real views
    raise Http404
