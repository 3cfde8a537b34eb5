// Review page behaviour: item row -> scroll to and flash its evidence; evidence -> its rows; legend toggles.
(() => {
  "use strict";
  const items = document.getElementById("items");
  let targets = [];

  function showEvidence(ev) {
    for (const mark of targets) mark.classList.remove("is-target", "flash");
    targets = Array.from(document.querySelectorAll('mark.ev[data-ev="' + ev + '"]'));
    if (targets.length === 0) return;
    targets[0].scrollIntoView({ block: "center" });
    for (const mark of targets) {
      void mark.offsetWidth; // restart the animation when the same evidence is clicked twice
      mark.classList.add("is-target", "flash");
    }
    history.replaceState(null, "", "#ev-" + ev);
  }

  function selectRows(ids) {
    for (const row of items.querySelectorAll("tr.is-selected")) row.classList.remove("is-selected");
    for (const id of ids) document.getElementById("row-" + id)?.classList.add("is-selected");
  }

  items.addEventListener("click", (event) => {
    const row = event.target.closest("tr.item[data-ev]");
    if (!row) return;
    event.preventDefault();
    const evs = row.dataset.ev.split(" "); // a drug lists all its mentions: each click goes to the next
    const next = Number(row.dataset.next || 0) % evs.length;
    row.dataset.next = String(next + 1);
    selectRows([row.id.slice(4)]);
    showEvidence(evs[next]);
  });

  document.getElementById("text").addEventListener("click", (event) => {
    const mark = event.target.closest("mark.ev");
    if (!mark) return;
    const ids = mark.dataset.rows.split(" ");
    selectRows(ids);
    document.getElementById("row-" + ids[0])?.scrollIntoView({ block: "nearest" });
  });

  for (const box of document.querySelectorAll(".legend input[data-category]")) {
    box.addEventListener("change", () => document.body.classList.toggle("hide-" + box.dataset.category, !box.checked));
  }
})();
