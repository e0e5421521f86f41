// Files dropped anywhere on the window: whether files are being dragged over it (the window
// shows where to drop them), and the file dropped, handed on.
import { useEffect, useRef, useState } from 'react';

/** Listens on the window for as long as the component lives; `onDrop` gets the first file dropped. */
export function useFileDrop(onDrop: (file: File) => void): boolean {
  const [dragging, setDragging] = useState(false);
  // The latest handler, so the listeners are added once rather than at every render.
  const handler = useRef(onDrop);
  handler.current = onDrop;

  useEffect(() => {
    // Entering a child element fires dragenter before the parent's dragleave: count the depth.
    let depth = 0;
    const hasFiles = (e: DragEvent): boolean => e.dataTransfer !== null && Array.from(e.dataTransfer.types).includes('Files');
    const enter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer !== null) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent): void => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file !== undefined) handler.current(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return dragging;
}
