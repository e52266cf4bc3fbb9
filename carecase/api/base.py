"""The base of every API view: authentication, pagination and the small helpers views share."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from carecase.audit.models import AccessAction

from .permissions import IsActiveStaff

# Every read of person-level data through the API is logged with this action.
API_READ = AccessAction.API


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number}: it is past the last page of results."

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and not (page.isdecimal() and int(page) >= 1):
            raise ValidationError({"page": ["Enter a page number: a whole number from 1."]})
        return super().paginate_queryset(queryset, request, view)


# Views call selectors and services and nothing else; serializers only check input and shape output.
class ApiView(GenericAPIView):
    # Token first, so an unauthenticated caller is answered 401 with a WWW-Authenticate header, not 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsActiveStaff]
    # The API speaks JSON only; anything else is answered 415 with what to send instead.
    parser_classes = [JSONParser]
    pagination_class = Pagination
    filter_backends: list = []

    def validated(self, serializer_class: type[serializers.Serializer], data=None, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data if data is None else data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, rows, serializer_class: type[serializers.Serializer], **context) -> Response:
        if self.filter_backends:
            rows = self.filter_queryset(rows)
        page = self.paginate_queryset(rows)
        context = {"request": self.request, **context}
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)
