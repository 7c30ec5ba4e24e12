// A disclosure menu in the header's navigation (the Administration pages): a button with
// aria-expanded and aria-controls that shows or hides a list of ordinary links. Not an ARIA
// `menu` (whose arrow-key contract readers would then expect): Tab moves through the links, as
// anywhere else in the navigation. It closes on Escape (focus back on the button), on a click
// or a focus move outside it, and after a navigation. The caller decides who sees it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, usePathChange } from './router';

export interface NavMenuLink {
  href: string;
  label: string;
}

export function NavMenu({ id, label, links, current }: { id: string; label: string; links: NavMenuLink[]; current(href: string): boolean }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const here = links.some((l) => current(l.href));

  // A followed link closes the menu.
  usePathChange(() => setOpen(false));

  // A click or tap anywhere else closes it, without taking the focus anywhere.
  useEffect(() => {
    if (!open) return;
    const outside = (e: Event) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Escape' || !open) return;
    e.preventDefault();
    e.stopPropagation();
    setOpen(false);
    button.current?.focus();
  }

  // Tabbing past the last link (or back before the button) closes it too.
  function onFocusOut(e: FocusEvent) {
    const next = e.relatedTarget as Node | null;
    if (next && root.current && !root.current.contains(next)) setOpen(false);
  }

  return (
    <li class={`nav-menu${open ? ' open' : ''}`} ref={root} onKeyDown={onKeyDown} onFocusOut={onFocusOut} data-testid={`${id}-menu`}>
      <button type="button" class={`nav-menu-button${here ? ' current' : ''}`} ref={button} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label}
        <span class="nav-menu-caret" aria-hidden="true" />
      </button>
      <ul id={id} hidden={!open}>
        {links.map((l) => (
          <li key={l.href}>
            <Link href={l.href} aria-current={current(l.href) ? 'page' : undefined}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}
