// Hides the rows of the operations table (and the chart) whose operation does not contain
// what is typed in the filter box. Reads only the page itself.
(function () {
  var box = document.getElementById("filter");
  if (!box) { return; }
  box.addEventListener("input", function () {
    var wanted = box.value.toLowerCase();
    document.querySelectorAll("[data-operation]").forEach(function (row) {
      var shown = row.getAttribute("data-operation").toLowerCase().indexOf(wanted) >= 0;
      row.style.display = shown ? "" : "none";
    });
  });
})();
