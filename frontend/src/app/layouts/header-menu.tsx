import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';

/**
 * The app bar's menu (search, board, reports, admin, name, language, theme, logout): on a phone
 * a ☰ button opens it below the bar (Escape closes it and gives the focus back; a navigation or
 * a press outside closes it), so the bar stays one row; from 900 px its items sit in the bar
 * itself (app-bar.css).
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  // open on the page where it was opened: following a link closes it
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const wrap = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && wrap.current?.contains(event.target)) return;
      setOpenOn(null);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);
  return (
    <div
      ref={wrap}
      className="header-menu-wrap"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        setOpenOn(null);
        toggle.current?.focus();
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="button button-secondary header-menu-toggle"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t('header.menu')}
        title={t('header.menu')}
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M4 6h16M4 12h16M4 18h16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </button>
      <div id={id} className="header-menu" data-open={open}>
        {children}
      </div>
    </div>
  );
}
