"""Choosing in Wagtail's chooser modals from browser tests, as a person does."""

from playwright.sync_api import expect


def choose_expert(page, name):
    """Picks `name` in the expert chooser: open it, search, click the name."""
    page.get_by_role("button", name="选择专家").click()
    modal = page.locator(".modal")
    modal.get_by_label("搜索").fill(name)
    modal.get_by_role("link", name=name).click()
    expect(modal).to_be_hidden()


def choose_leader(page, search, name):
    """Picks the leader `name` in the leader chooser, found by `search` (a name or a post)."""
    page.get_by_role("button", name="选择领导").click()
    modal = page.locator(".modal")
    modal.get_by_role("textbox", name="搜索领导").fill(search)
    modal.get_by_role("link", name=name).click()
    expect(modal).to_be_hidden()
