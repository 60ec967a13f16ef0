// « Tout sélectionner »: a checkbox with data-select-all="<name>" ticks or unticks every
// checkbox of that name on the page. Without JavaScript, each value is ticked by hand.
document.querySelectorAll("input[data-select-all]").forEach((master) => {
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${master.dataset.selectAll}"]`);
  master.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = master.checked;
    });
  });
  document.addEventListener("change", (event) => {
    if (event.target !== master && event.target.name === master.dataset.selectAll) {
      const all = [...boxes()];
      master.checked = all.length > 0 && all.every((box) => box.checked);
      master.indeterminate = !master.checked && all.some((box) => box.checked);
    }
  });
});
