// The rich-text editor's "+" (Draftail's block toolbar trigger) is named by Wagtail's English
// "Insert a block": screen-reader users hear it in Chinese. Editors appear as blocks are added,
// so new ones are named as they come.
(() => {
  const LABEL = "插入块";
  const name = (root) => {
    root.querySelectorAll(".Draftail-BlockToolbar__trigger").forEach((button) => {
      if (button.getAttribute("aria-label") !== LABEL) button.setAttribute("aria-label", LABEL);
    });
  };
  const start = () => {
    name(document);
    new MutationObserver((changes) => {
      if (changes.some((change) => change.addedNodes.length)) name(document);
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
