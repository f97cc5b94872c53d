// Signing links shown once: a Copy button beside each (the field stays selectable by hand).
// Copying is recorded for the evidence (who handed the link over, and when).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy-link");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  const done = () => { button.textContent = button.dataset.copied; };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(done, () => {});
  }
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (button.dataset.record && meta) {
    fetch(button.dataset.record, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": meta.content },
    }).catch(() => {});
  }
});
