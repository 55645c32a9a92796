// The web audit page's glue after the shared panel renderer (report/templates/panel.js): on the live
// page (it has review forms) the panel's "Review" links open the claim's form on demand.
FactauditPanel.init({ reviews: !!document.querySelector("form.review-form") });
