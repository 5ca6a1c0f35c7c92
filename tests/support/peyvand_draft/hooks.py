from kernel import Resource, hookimpl

from .models import Draft


@hookimpl
def register_resources():
    return [Resource(name="draft.item", model=Draft, label="Draft", label_plural="Drafts", search=("title",))]
