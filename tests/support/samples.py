"""A small, valid exercise file (one multiple choice, one sort, one scenario) that tests change
to make broken copies."""

GOOD = {
    "chapter": "demo",
    "exercises": [
        {
            "id": "who-sees",
            "type": "multiple_choice",
            "prompt": "Who can see a post on a private account?",
            "options": [
                {"text": "Only friends", "correct": False, "feedback": "Friends can forward it."},
                {"text": "Anyone a friend shares it with", "correct": True, "feedback": "Yes."},
            ],
        },
        {
            "id": "sort-it",
            "type": "sort_the_posts",
            "prompt": "Sort these.",
            "categories": [
                {"id": "personal", "label": "Personal"},
                {"id": "professional", "label": "Professional"},
            ],
            "cards": [
                {"id": "a", "post": {"text": "Dinner!"}, "answer": "personal", "feedback": "Life."},
                {
                    "id": "b",
                    "post": {"text": "New paper out", "author": "Kim", "handle": "@kim"},
                    "answer": ["professional", "personal"],
                    "feedback": "Work news.",
                },
            ],
        },
        {
            "id": "story",
            "type": "scenario",
            "prompt": "A bad day.",
            "start": "one",
            "steps": [
                {
                    "id": "one",
                    "situation": "Your boss snaps at you.",
                    "choices": [
                        {
                            "text": "Call a friend",
                            "consequence": "Calm.",
                            "rating": "best",
                            "next": "two",
                        },
                        {"text": "Post a rant", "consequence": "Seen.", "rating": "poor"},
                    ],
                },
                {
                    "id": "two",
                    "situation": "Next morning.",
                    "choices": [
                        {"text": "Talk to the boss", "consequence": "Fine.", "rating": "best"},
                        {"text": "Ignore it", "consequence": "Meh.", "rating": "acceptable"},
                    ],
                },
            ],
            "debrief": "Pause before posting.",
        },
    ],
}
