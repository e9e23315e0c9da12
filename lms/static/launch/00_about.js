/*
 * launch.js: the SCORM runtime of the course's LMS packages (see lms/package.py).
 *
 * The package's launch page (index.html) is the one SCO. It finds the LMS's API the standard way
 * (the window.parent chain, then the opener's), initialises once, and shows the book in a frame,
 * so one LMS session covers every page the learner opens. The book's pages do not know about the
 * LMS: this page watches them (they are same-origin) and reads the learner's progress where the
 * pages keep it, as the progress page does: window.COURSE_MANIFEST for the chapters and their
 * exercises, and localStorage records "smcourse:<course>:<chapter>/<exercise>" and
 * "smcourse:<course>:visits". It also listens to the documented "course:exercise" events of each
 * page, so tracking still works when the browser blocks storage.
 *
 * What it tells the LMS:
 *   bookmark      the page on screen (1.2 cmi.core.lesson_location, 2004 cmi.location); the next
 *                 launch reopens it
 *   completion    "incomplete" until the course's completion rule holds (_config.yml
 *                 course.completion: every chapter visited, or every exercise completed), then
 *                 "completed"; it never goes back
 *   score         the share of graded self-checks answered correctly, as a percentage in raw (min
 *                 0, max 100) and, in 2004, as scaled (0 to 1)
 *   success       once complete: passed when score >= mastery score, else failed (1.2 puts this in
 *                 cmi.core.lesson_status; 2004 in cmi.success_status, "unknown" until complete).
 *                 The mastery score is the LMS's (1.2 cmi.student_data.mastery_score, 2004
 *                 cmi.scaled_passing_score) when it gives one, else _config.yml's.
 *   suspend_data  the learner's progress (pages visited, each exercise's result and, room
 *                 permitting, answer), so it follows the learner to another device. 1.2 allows
 *                 4096 characters, 2004 64000; answers are left out first when space runs short.
 *   exit          "suspend", so the LMS resumes the attempt next time
 * It commits about a second after each change, when the page is hidden and when it closes
 * (pagehide), and then finishes the session once. In review or browse mode it reports only the
 * bookmark. With no LMS API it opens the plain book instead.
 */
