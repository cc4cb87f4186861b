import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useMatches, type UIMatch } from 'react-router';

/** Route `handle` shape: a route that wants a breadcrumb provides `crumb`. */
export type CrumbHandle = {
  crumb: (match: UIMatch) => ReactNode;
};

function hasCrumb(handle: unknown): handle is CrumbHandle {
  return (
    typeof handle === 'object' && handle !== null && typeof (handle as Partial<CrumbHandle>).crumb === 'function'
  );
}

/** `事件列表 / Line 3 溫度異常 / 成員` from the matched routes' handles. Hidden on top-level pages. */
export function Breadcrumbs() {
  const { t } = useTranslation();
  const matches = useMatches();
  const crumbs = matches.flatMap((match) =>
    hasCrumb(match.handle) ? [{ id: match.id, pathname: match.pathname, node: match.handle.crumb(match) }] : [],
  );
  if (crumbs.length < 2) return null;
  return (
    <nav className="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={crumb.id}>
            {index < crumbs.length - 1 ? (
              <Link to={crumb.pathname}>{crumb.node}</Link>
            ) : (
              <span aria-current="page">{crumb.node}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
