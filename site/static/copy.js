// Copy buttons for citations: an enhancement. Without JavaScript the
// citation and permalink are shown as text to select and copy.
document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
  if (!navigator.clipboard) return;
  b.hidden = false;
  var label = b.textContent;
  b.addEventListener("click", function () {
    navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () {
      b.textContent = "✓ " + label;
      setTimeout(function () { b.textContent = label; }, 2000);
    });
  });
});
