// Starts the app this address needs: a phone never downloads the trainer's screens. A file of
// its own, not an inline script, so the page's Content-Security-Policy can forbid inline script.
const app = location.pathname.match(/^\/(trainer|projector|review)(\/|$)/)?.[1];
const apps = { trainer: "/console.js", projector: "/console.js", review: "/review.js" };
const { default: init } = await import(apps[app] ?? "/participant.js");
init();
