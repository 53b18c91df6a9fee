"use strict";
// Keeps the thumbnail next to the featured-image select in step with the choice.
// Bound through django.jQuery because the admin's "+" pop-up announces a newly
// uploaded image with a jQuery-triggered change event, which native listeners miss.
django.jQuery(document).on("change", "select[data-thumbnail-url-template]", function () {
  const preview = this.parentElement.querySelector(".image-chooser-preview");
  if (!this.value) {
    preview.hidden = true;
    preview.removeAttribute("src");
    return;
  }
  preview.src = this.dataset.thumbnailUrlTemplate.replace("/0/", `/${this.value}/`);
  preview.hidden = false;
});
