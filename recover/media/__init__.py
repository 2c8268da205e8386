"""A post's media: which files its body uses, which capture of each is good, where it goes.

- :mod:`refs`: the images, video, audio and documents a body (or a feed item) uses;
- :mod:`magic`: whether a capture's bytes are what their type says;
- :mod:`variants`: resized copies (``-300x200``, ``/s320/``, ``?w=``) and their originals;
- :mod:`plan`: which captures of a file to try, in which order;
- :mod:`files`: where a file goes under ``<out>/media/``, written once per content;
- :mod:`state`: what was fetched (a re-run fetches no file twice);
- :mod:`links`: bodies pointing at the local copies (Markdown, Ghost);
- :mod:`wxr`: WordPress attachment items.
"""
