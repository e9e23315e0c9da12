// launch/05_outline.js: the course's outline.
// One part of the SCORM launch runtime; lms/package.py joins launch/*.js in name order inside one
// function scope ("use strict") into _scorm/launch.js.

function courseId() {
  return (MANIFEST && MANIFEST.course && MANIFEST.course.id) || (CONFIG && CONFIG.course);
}
function prefix() {
  return smxPrefix(courseId());
}

/** Every exercise of the course: {key: "chapter/id", graded: bool}, in reading order. */
function allExercises() {
  var list = [];
  ((MANIFEST && MANIFEST.chapters) || []).forEach(function (chapter) {
    chapter.exercises.forEach(function (key, i) {
      list.push({ key: key, graded: Boolean(chapter.graded[i]) });
    });
  });
  return list;
}

function chapterIdOf(page) {
  var chapters = (MANIFEST && MANIFEST.chapters) || [];
  for (var i = 0; i < chapters.length; i++) if (chapters[i].page === page) return chapters[i].id;
  return null;
}
function pageOfChapter(id) {
  var chapters = (MANIFEST && MANIFEST.chapters) || [];
  for (var i = 0; i < chapters.length; i++) if (chapters[i].id === id) return chapters[i].page;
  return null;
}

function validRecord(record) {
  return smxIsRecord(record) ? record : null;
}
