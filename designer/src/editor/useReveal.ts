// After a jump from the lint panel: scroll to the field that edits the pointer (the longest
// data-pointer that is a prefix of it) and flash it.
import { useEffect } from 'react';
import { useEditor } from './EditorContext.tsx';

export function useReveal(ready = true) {
  const { target } = useEditor();
  useEffect(() => {
    if (!ready || !target.pointer) return;
    const pointer = target.pointer;
    const id = requestAnimationFrame(() => {
      let best: HTMLElement | undefined;
      let bestLength = -1;
      document.querySelectorAll<HTMLElement>('[data-pointer]').forEach((el) => {
        const p = el.dataset.pointer!;
        if ((pointer === p || pointer.startsWith(p + '/')) && p.length > bestLength) {
          best = el;
          bestLength = p.length;
        }
      });
      if (!best) return;
      best.scrollIntoView({ block: 'center' });
      best.classList.add('revealed');
      setTimeout(() => best?.classList.remove('revealed'), 1600);
    });
    return () => cancelAnimationFrame(id);
  }, [target.seq, ready]);
}
