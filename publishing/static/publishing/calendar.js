// The calendar's moves: a post (li[data-move-url]) dragged onto a day or an hour
// (td[data-date], td[data-hour] in the week), or focused and moved with the arrow
// keys (week: up/down an hour, left/right a day; month: a day, a week), Enter to
// save, Escape to undo. Saving posts the new local time to the post's move
// address, the server's "Change time": moved, the page reloads with its message;
// refused, the post goes back and the server's reason is shown.
(() => {
  const root = document.querySelector("[data-publishing-calendar]");
  if (!root) return;
  const status = root.querySelector("[data-move-status]");
  const refusal = root.querySelector("[data-move-error]");
  const filters = root.querySelector("[data-filters]");
  if (filters && window.matchMedia("(min-width: 50em)").matches) filters.open = true;

  const pad = (n) => String(n).padStart(2, "0");
  const inWeek = () => Boolean(root.querySelector("td[data-hour]"));

  // The local time a post would have in `cell`: the cell's day, its hour in the
  // week (else the post's), the post's minutes.
  function timeIn(cell, event) {
    const [, hour, minute] = event.dataset.at.match(/T(\d\d):(\d\d)/);
    return `${cell.dataset.date}T${cell.dataset.hour || hour}:${minute}`;
  }

  function cellAt(date, hour) {
    const hourPart = hour === undefined ? ":not([data-hour])" : `[data-hour="${hour}"]`;
    return root.querySelector(`td[data-date="${date}"]${hourPart}`);
  }

  function shifted(cell, days, hours) {
    const day = new Date(`${cell.dataset.date}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + days);
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    if (cell.dataset.hour === undefined) return cellAt(date);
    const hour = Number(cell.dataset.hour) + hours;
    return hour < 0 || hour > 23 ? null : cellAt(date, pad(hour));
  }

  function listIn(cell) {
    let list = cell.querySelector(":scope > ul.publishing-calendar__events");
    if (!list) {
      list = document.createElement("ul");
      list.className = "publishing-calendar__events";
      cell.prepend(list);
    }
    return list;
  }

  async function save(event, at) {
    const body = new FormData();
    body.append("publish_at", at);
    body.append("csrfmiddlewaretoken", root.querySelector("[name=csrfmiddlewaretoken]").value);
    refusal.hidden = true;
    const response = await fetch(event.dataset.moveUrl, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      window.location.reload();
      return true;
    }
    refusal.textContent = answer.error || response.statusText;
    refusal.hidden = false;
    return false;
  }

  // Dragging
  let dragged = null;
  root.addEventListener("dragstart", (e) => {
    dragged = e.target.closest("li[data-move-url]");
    if (!dragged) return;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.dataset.moveUrl);
  });
  root.addEventListener("dragover", (e) => {
    if (dragged && e.target.closest("td[data-date]")) e.preventDefault();
  });
  root.addEventListener("drop", (e) => {
    const cell = e.target.closest("td[data-date]");
    if (!dragged || !cell) return;
    e.preventDefault();
    const event = dragged;
    dragged = null;
    save(event, timeIn(cell, event));
  });

  // The keyboard
  let moving = null; // {event, home, next, cell}
  function undo() {
    if (!moving) return;
    moving.home.insertBefore(moving.event, moving.next);
    moving.event.classList.remove("publishing-calendar__event--moving");
    moving.event.focus();
    moving = null;
    status.textContent = "";
  }
  root.addEventListener("keydown", (e) => {
    const event = e.target.closest && e.target.closest("li[data-move-url]");
    if (!event || e.target !== event) return;
    const steps = inWeek()
      ? { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }
      : { ArrowUp: [-7, 0], ArrowDown: [7, 0], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    if (e.key === "Escape") {
      undo();
    } else if (e.key === "Enter" && moving) {
      e.preventDefault();
      save(event, timeIn(moving.cell, event)).then((ok) => ok || undo());
    } else if (steps[e.key]) {
      e.preventDefault();
      if (!moving) {
        moving = { event, home: event.parentNode, next: event.nextSibling };
        moving.cell = event.closest("td[data-date]");
        event.classList.add("publishing-calendar__event--moving");
      }
      const target = shifted(moving.cell, ...steps[e.key]);
      if (!target) return;
      moving.cell = target;
      listIn(target).append(event);
      event.focus();
      const [, y, m, d, hm] = timeIn(target, event).match(/(\d+)-(\d+)-(\d+)T(.*)/);
      status.textContent = root.dataset.movePending.replace("%(time)s", `${hm} ${d}/${m}/${y}`);
    }
  });
})();
