// The timeout warning, and keeping what was typed through a sign-in.
//
// Signed-in pages carry [data-app-session] with the seconds the session has left and when
// to warn (templates/includes/session_timeout.html). Before the session ends a dialog
// offers to stay signed in; when it has ended the page goes to the sign-in page.
//
// What was typed into a form is kept in this tab's sessionStorage when the form is sent
// (or when the time runs out), under the page, the form and an opaque id of the user.
// If the sending ended on the sign-in page, it is put back in the form when the same user
// comes back to the page; otherwise it is forgotten on the next page. Signing out forgets
// everything. See docs/decisions/0010-keeping-typed-work-through-sign-in.md.

const PREFIX = "earlyhelp.typed-work.v1|";
const NOT_KEPT = new Set(["password", "file", "submit", "button", "reset", "image"]);
const SUBMITTED = "submitted";
const INTERRUPTED = "interrupted";

function here() {
  return location.pathname + location.search;
}

function actionOf(form) {
  // getAttribute: a field named "action" would hide form.action.
  const url = new URL(form.getAttribute("action") || location.href, location.href);
  return url.pathname + url.search;
}

function keptForms(signOutPath) {
  return [...document.querySelectorAll("form")].filter(
    (form) =>
      (form.getAttribute("method") || "get").toLowerCase() === "post" &&
      !form.closest("dialog") &&
      !form.hasAttribute("data-app-not-kept") &&
      actionOf(form) !== signOutPath,
  );
}

function isKept(element) {
  if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") return false;
  if (!["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName)) return false;
  return !NOT_KEPT.has((element.type || "").toLowerCase());
}

function fieldsOf(form) {
  const fields = [];
  for (const element of form.elements) {
    if (!isKept(element)) continue;
    const type = element.type.toLowerCase();
    if (type === "checkbox" || type === "radio") {
      fields.push({ name: element.name, value: element.value, checked: element.checked });
    } else if (element.tagName === "SELECT" && element.multiple) {
      fields.push({
        name: element.name,
        values: [...element.selectedOptions].map((option) => option.value),
      });
    } else {
      fields.push({ name: element.name, value: element.value, hidden: type === "hidden" });
    }
  }
  return fields;
}

// Storage ---------------------------------------------------------------------------------

function storedWork() {
  const found = [];
  try {
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const key = sessionStorage.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      let work = null;
      try {
        work = JSON.parse(sessionStorage.getItem(key));
      } catch {
        work = null;
      }
      found.push([key, work]);
    }
  } catch {
    // Storage switched off: nothing is kept.
  }
  return found;
}

function forget(key) {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing to forget.
  }
}

function forgetAll() {
  for (const [key] of storedWork()) forget(key);
}

function keep(form, index, user, state) {
  const fields = fieldsOf(form);
  // A form of buttons and hidden fields holds nothing anyone typed.
  if (!fields.some((field) => !field.hidden)) return;
  const page = here();
  const work = { user, page, action: actionOf(form), index, state, fields };
  try {
    sessionStorage.setItem(`${PREFIX}${user}|${page}|${index}`, JSON.stringify(work));
  } catch {
    // Storage full or switched off: the form is still sent as before.
  }
}

function markInterrupted() {
  let kept = false;
  for (const [key, work] of storedWork()) {
    if (!work) continue;
    if (work.state === SUBMITTED) {
      work.state = INTERRUPTED;
      try {
        sessionStorage.setItem(key, JSON.stringify(work));
      } catch {
        continue;
      }
    }
    if (work.state === INTERRUPTED) kept = true;
  }
  return kept;
}

// Putting it back -------------------------------------------------------------------------

function putBack(form, work) {
  const byName = new Map();
  for (const field of work.fields) {
    if (!byName.has(field.name)) byName.set(field.name, []);
    byName.get(field.name).push(field);
  }
  const seen = new Map();
  for (const element of form.elements) {
    if (!isKept(element) || !byName.has(element.name)) continue;
    const kept = byName.get(element.name);
    const type = element.type.toLowerCase();
    if (type === "checkbox" || type === "radio") {
      const match = kept.find((field) => field.value === element.value);
      if (match) element.checked = match.checked;
    } else if (element.tagName === "SELECT" && element.multiple) {
      const values = new Set(kept[0].values || []);
      for (const option of element.options) option.selected = values.has(option.value);
    } else {
      // Several fields may share a name: put them back in order.
      const nth = seen.get(element.name) || 0;
      seen.set(element.name, nth + 1);
      const field = kept[nth];
      if (!field || typeof field.value !== "string") continue;
      if (
        element.tagName === "SELECT" &&
        ![...element.options].some((option) => option.value === field.value)
      ) {
        continue;
      }
      element.value = field.value;
    }
  }
}

function showPutBackBanner() {
  const template = document.getElementById("app-restored-banner");
  const main = document.getElementById("main-content");
  if (!template || !main) return;
  const banner = template.content.firstElementChild.cloneNode(true);
  // After the page's own messages, before its content.
  const messages = [...main.children].filter((child) =>
    child.classList.contains("govuk-notification-banner"),
  );
  const after = messages[messages.length - 1];
  if (after) after.after(banner);
  else main.prepend(banner);
  banner.focus();
}

function putBackOrForget(user, signOutPath) {
  const putBackInto = [];
  for (const [key, work] of storedWork()) {
    // Someone else's work, or work the server has received: forget it.
    if (!work || work.user !== user || work.state !== INTERRUPTED) {
      forget(key);
      continue;
    }
    // Kept until the user comes back to the page it was typed on.
    if (work.page !== here() && work.action !== here()) continue;
    const forms = keptForms(signOutPath);
    const byIndex = forms[work.index];
    const form =
      byIndex && actionOf(byIndex) === work.action
        ? byIndex
        : forms.find((candidate) => actionOf(candidate) === work.action);
    if (form) {
      putBack(form, work);
      putBackInto.push(form);
    }
    forget(key);
  }
  if (putBackInto.length) {
    // GOV.UK radios and checkboxes show their conditional parts again on pageshow.
    window.dispatchEvent(new Event("pageshow"));
    showPutBackBanner();
  }
  return putBackInto;
}

// The timeout warning ---------------------------------------------------------------------

function inWords(milliseconds) {
  const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

function announcedInWords(milliseconds) {
  // Screen readers hear the time left when the minutes change and then every 20 seconds,
  // not every second.
  const seconds = Math.ceil(milliseconds / 1000);
  if (seconds > 60) return inWords(milliseconds);
  if (seconds > 40) return "1 minute";
  if (seconds > 20) return "40 seconds";
  return "20 seconds";
}

function startTimeoutWarning(session, keepDirtyForms) {
  const dialog = document.getElementById("app-timeout-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const countdown = dialog.querySelector("[data-app-countdown]");
  const announce = dialog.querySelector("[data-app-countdown-announce]");
  const stayButton = dialog.querySelector("[data-app-stay-signed-in]");
  const token = dialog.querySelector("input[name=csrfmiddlewaretoken]");
  const warningMs = Number(session.dataset.warningSeconds) * 1000;
  let deadline = Date.now() + Number(session.dataset.sessionSecondsLeft) * 1000;
  let returnFocusTo = null;
  let announced = "";
  let timer = null;

  function timeOut() {
    window.clearInterval(timer);
    keepDirtyForms();
    const query = new URLSearchParams({ timed_out: "1", next: here() });
    window.location.assign(`${session.dataset.signInUrl}?${query}`);
  }

  function show(left) {
    const words = inWords(left);
    if (countdown.textContent !== words) countdown.textContent = words;
    const spoken = announcedInWords(left);
    if (spoken !== announced) {
      announced = spoken;
      announce.textContent = `We will sign you out in ${spoken}.`;
    }
  }

  function open(left) {
    returnFocusTo = document.activeElement;
    countdown.textContent = inWords(left);
    // The dialog's description carries the first reading; the live region the updates.
    announced = announcedInWords(left);
    announce.textContent = "";
    dialog.showModal();
    stayButton.focus();
  }

  function close() {
    if (dialog.open) dialog.close();
    if (returnFocusTo && document.contains(returnFocusTo)) returnFocusTo.focus();
    returnFocusTo = null;
  }

  function tick() {
    const left = deadline - Date.now();
    if (left <= 0) {
      timeOut();
    } else if (left <= warningMs) {
      if (!dialog.open) open(left);
      show(left);
    }
  }

  async function staySignedIn() {
    const body = new FormData();
    if (token) body.append("csrfmiddlewaretoken", token.value);
    let response;
    try {
      response = await fetch(session.dataset.extendUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch {
      return; // No answer: the dialog stays, and they can try again.
    }
    if (response.status === 401) {
      timeOut();
      return;
    }
    if (!response.ok) return;
    const answer = await response.json();
    deadline = Date.now() + Number(answer.seconds_left) * 1000;
    close();
  }

  stayButton.addEventListener("click", staySignedIn);
  // Escape means "not now": the same as staying signed in, as in the GOV.UK pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  timer = window.setInterval(tick, 1000);
}

// Start -----------------------------------------------------------------------------------

function start() {
  if (document.querySelector("[data-app-forget-typed-work]")) {
    forgetAll();
    return;
  }
  if (document.querySelector("[data-app-sign-in-page]")) {
    // A form sent after the session ended was turned away to here: keep its words.
    if (markInterrupted()) {
      for (const message of document.querySelectorAll("[data-app-typed-work-kept]")) {
        message.hidden = false;
      }
    }
    return;
  }
  const session = document.querySelector("[data-app-session]");
  if (!session) return;
  const user = session.dataset.draftKey;
  const signOutPath = new URL(session.dataset.signOutUrl, location.href).pathname;

  // Work put back is still unsaved: if time runs out again, it is kept again.
  const dirty = new Set(putBackOrForget(user, signOutPath));
  const noteChange = (event) => {
    const form = event.target.form;
    if (form) dirty.add(form);
  };
  document.addEventListener("input", noteChange);
  document.addEventListener("change", noteChange);

  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    const form = event.target;
    if (actionOf(form) === signOutPath) {
      forgetAll();
      return;
    }
    const index = keptForms(signOutPath).indexOf(form);
    if (index >= 0) keep(form, index, user, SUBMITTED);
  });

  startTimeoutWarning(session, () => {
    const forms = keptForms(signOutPath);
    forms.forEach((form, index) => {
      if (dirty.has(form)) keep(form, index, user, INTERRUPTED);
    });
  });
}

start();
