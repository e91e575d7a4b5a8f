// A cluster's page, opened from the school finder (`?school=<name>`): says at its top
// that the school is in this cluster, when the page lists a school of that name.
// Text only (textContent); a name the page does not list is ignored.
const confirm = document.querySelector("[data-school-confirm]");
const asked = new URLSearchParams(window.location.search).get("school");
if (confirm && asked) {
  const listed = [...document.querySelectorAll("[data-school]")].map((e) => e.textContent.trim());
  if (listed.includes(asked.trim())) {
    confirm.textContent = `${asked.trim()} is in the ${confirm.dataset.cluster} cluster.`;
    confirm.hidden = false;
  }
}
