import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhTW from '@/locales/zh-tw';

export const LANGUAGES = [
  { code: 'zh-TW', label: '繁體中文' },
  { code: 'en', label: 'English' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const DEFAULT_LANGUAGE: LanguageCode = 'zh-TW';
export const LANGUAGE_STORAGE_KEY = 'irs.language';

export function isLanguage(value: unknown): value is LanguageCode {
  return LANGUAGES.some((language) => language.code === value);
}

/** The language remembered in this browser, or zh-TW. */
export function storedLanguage(): LanguageCode {
  try {
    const value = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
}

/** Switches the UI language, remembers it per browser and updates <html lang>. */
export async function setLanguage(language: LanguageCode): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // not remembered, still switched
  }
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', applyDocumentLanguage);

/**
 * zh-TW (the default) is in the first chunk; other languages are fetched when first chosen
 * (`changeLanguage` waits for them), so the login page does not pay for every translation.
 */
const LAZY_LANGUAGES: Record<string, () => Promise<{ default: Record<string, unknown> }>> = {
  en: () => import('@/locales/en'),
};

const lazyLanguages: BackendModule = {
  type: 'backend',
  init() {},
  read(language, _namespace, callback) {
    const load = LAZY_LANGUAGES[language];
    if (!load) {
      callback(null, {});
      return;
    }
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

/** Resolves when the remembered language's translations are loaded (render after it). */
export const i18nReady = i18n
  .use(lazyLanguages)
  .use(initReactI18next)
  .init({
  resources: {
    'zh-TW': { translation: zhTW },
  },
  partialBundledLanguages: true,
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: LANGUAGES.map((language) => language.code),
  load: 'currentOnly',
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

applyDocumentLanguage(i18n.language);

export default i18n;
