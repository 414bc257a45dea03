"""What the back-office tests of 人才与创新 share: a page that must open in Chinese, the
form data of a change page (its fields and its inline rows) as the page would send it."""

import re

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from dangjian.core.testing.english import english_words


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def page(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code)
    if status != 200:
        return response
    text = response.content.decode()
    assert not english_words(text), (address, english_words(text))
    return text


def form_data(client, address) -> dict:
    """The values a change page's form would send as it stands (inputs, selects, textareas and
    the inline management forms), to post back with a few changed."""
    response = client.get(address)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, FieldFile | File):
            continue  # a stored file stays unless a new one is sent
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value if not hasattr(value, "pk") else value.pk
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for row in formset.initial_forms:
            for name in row.fields:
                value = row[name].value()
                if value is None or value is False or isinstance(value, FieldFile | File):
                    continue
                data[row.add_prefix(name)] = getattr(value, "pk", value)
    return data


def add_row(data, prefix, **fields):
    """One new inline row in `prefix`'s formset of the posted `data`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    return data


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def no_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)
