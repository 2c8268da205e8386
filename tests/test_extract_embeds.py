"""Embeds (issue 14.9): kept as the iframe the outputs understand, never as raw URL text."""

from __future__ import annotations

import pytest

from recover.extract import extract

PAGE = """<html lang="en"><head><title>Clips | Reel notes</title>
<meta property="og:type" content="article"><meta property="og:title" content="Clips">
<meta property="article:published_time" content="2009-04-02T10:00:00+00:00"></head>
<body><article class="post"><h1>Clips</h1><div class="entry-content">
<p>The talk I mentioned, start to finish:</p>
{embed}
<p>Worth every minute of it, honestly.</p>
<iframe src="http://www.facebook.com/plugins/like.php?href=x" width="450"></iframe>
</div></article></body></html>"""

YT = '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315"'
YT += ' frameborder="0" allowfullscreen=""></iframe>'


@pytest.mark.parametrize(
    "embed,want",
    [
        (  # 2009 Flash embed code, as YouTube handed it out
            '<object width="425" height="344"><param name="movie" '
            'value="http://www.youtube.com/v/dQw4w9WgXcQ&hl=en&fs=1"></param>'
            '<param name="allowFullScreen" value="true"></param><embed '
            'src="http://www.youtube.com/v/dQw4w9WgXcQ&hl=en&fs=1" '
            'type="application/x-shockwave-flash" width="425" height="344"></embed></object>',
            '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="425" height="344"',
        ),
        (
            '<p><iframe width="560" height="315" '
            'src="//www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0" frameborder="0" '
            "allowfullscreen></iframe></p>",
            YT,
        ),
        (  # lazy-loaded (WordPress.com, Jetpack)
            '<span class="embed-youtube"><iframe class="youtube-player" width="560" height="315"'
            ' src="about:blank" data-src="https://www.youtube.com/embed/dQw4w9WgXcQ?version=3">'
            "</iframe></span>",
            YT,
        ),
        (
            '<object width="400" height="225"><param name="movie" value="http://vimeo.com/'
            'moogaloop.swf?clip_id=2143475&server=vimeo.com"></param><embed src="http://vimeo.com/'
            'moogaloop.swf?clip_id=2143475&server=vimeo.com" width="400" height="225"></embed>'
            "</object>",
            '<iframe src="https://player.vimeo.com/video/2143475" width="400" height="225"',
        ),
        (
            '<video controls src="/media/clip.mp4" poster="/media/clip.jpg"></video>',
            '<video controls src="http://reel.example.org/media/clip.mp4" '
            'poster="http://reel.example.org/media/clip.jpg"></video>',
        ),
    ],
)
def test_embeds_are_kept_as_embeds(embed, want):
    post = extract(PAGE.format(embed=embed), "http://reel.example.org/2009/04/clips/")
    html = post.content_html
    assert want in html
    assert ">http" not in html and ">//" not in html  # no link showing a raw URL
    assert "facebook" not in html  # widgets are not embeds
    assert "Worth every minute" in html
