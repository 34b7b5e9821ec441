/** Russian messages, the default locale: this object defines the typed key set every other locale must match. */

export const ru = {
  'brand.name': 'Пропуск',
  'layout.skipToContent': 'Перейти к содержимому',
  'layout.switchLocale': 'English',
  'layout.switchLocaleHint': 'Switch to English',
  'layout.footer': 'Пропуск — единый вход в сервисы компании',
  'common.copy': 'Копировать',
  'common.copied': 'Скопировано',

  'login.title': 'Вход',
  'login.lead': 'Войдите в учётную запись, чтобы продолжить в «{client}».',
  'login.field.login': 'Логин, эл. почта или телефон',
  'login.field.loginHint': 'Телефон вводите 10 цифрами, без +7 и 8.',
  'login.field.password': 'Пароль',
  'login.submit': 'Войти',
  'login.cancel': 'Отмена',
  'login.error.invalid_credentials': 'Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock и попробуйте ещё раз.',
  'login.error.locked': 'Слишком много неудачных попыток входа. Подождите несколько минут и попробуйте снова.',
  'login.error.required': 'Введите логин и пароль.',

  'consent.title': 'Разрешить доступ?',
  'consent.lead': 'Приложение «{client}» запрашивает доступ к вашей учётной записи.',
  'consent.scopesHeading': 'Запрошенные разрешения',
  'consent.claimsHeading': 'Запрошенные данные',
  'consent.account': 'Вы вошли как {account}',
  'consent.allow': 'Разрешить',
  'consent.deny': 'Отказать',
  'consent.note': 'Доступ можно отозвать в любой момент в настройках учётной записи.',

  'scope.openid': 'Подтверждение вашей личности',
  'scope.profile': 'Имя, фамилия, отчество и фото профиля',
  'scope.email': 'Адрес электронной почты',
  'scope.phone': 'Номер телефона',
  'scope.offline_access': 'Доступ без повторного входа, пока вы его не отзовёте',
  'scope.extern.api': 'Доступ к API Экстерна',
  'scope.extern.test-tools': 'Доступ к тестовым инструментам Экстерна',

  'claim.sub': 'Идентификатор учётной записи',
  'claim.name': 'Полное имя',
  'claim.given_name': 'Имя',
  'claim.family_name': 'Фамилия',
  'claim.middle_name': 'Отчество',
  'claim.picture': 'Фото профиля',
  'claim.email': 'Адрес электронной почты',
  'claim.email_verified': 'Подтверждена ли эл. почта',
  'claim.phone_number': 'Номер телефона',
  'claim.phone_number_verified': 'Подтверждён ли телефон',
  'claim.updated_at': 'Дата обновления профиля',

  'error.title.default': 'Что-то пошло не так',
  'error.title.400': 'Некорректный запрос',
  'error.title.401': 'Нужно войти',
  'error.title.403': 'Доступ запрещён',
  'error.title.404': 'Страница не найдена',
  'error.title.429': 'Слишком много запросов',
  'error.title.503': 'Сервис временно недоступен',
  'error.home': 'Вернуться на главную',
  'error.support': 'Если ошибка повторяется, сообщите эти данные в поддержку.',
  'error.code': 'Код ошибки',
  'error.requestId': 'Идентификатор запроса',

  'signedOut.title': 'Вы вышли',
  'signedOut.message': 'Сеанс завершён. Это окно можно закрыть.',

  'logout.title': 'Выйти?',
  'logout.leadClient': 'Приложение «{client}» просит завершить ваш сеанс в Пропуске.',
  'logout.lead': 'Вы выйдете из учётной записи Пропуска на этом устройстве.',
  'logout.yes': 'Да, выйти',
  'logout.no': 'Нет, остаться',

  'device.entry.title': 'Подключение устройства',
  'device.entry.lead': 'Введите код, который показывает приложение или устройство.',
  'device.entry.field': 'Код',
  'device.entry.hint': 'Например, ABCD-EFGH. Регистр букв и дефис не важны.',
  'device.entry.submit': 'Продолжить',
  'device.error.invalid': 'Такой код не найден. Проверьте, что он введён без ошибок.',
  'device.error.expired': 'Срок действия кода истёк. Получите новый код в приложении.',
  'device.error.used': 'Этот код уже использован. Получите новый код в приложении.',
  'device.error.too_many': 'Слишком много попыток. Подождите немного и попробуйте снова.',

  'device.confirm.title': 'Проверьте код',
  'device.confirm.lead': 'Убедитесь, что этот код совпадает с кодом на вашем устройстве.',
  'device.confirm.codeLabel': 'Код на устройстве',
  'device.confirm.requests': 'Приложение «{client}» запрашивает:',
  'device.confirm.warning': 'Если вы не начинали вход на устройстве сами, нажмите «Отмена».',
  'device.confirm.continue': 'Продолжить',
  'device.confirm.cancel': 'Отмена',

  'device.done.success.title': 'Устройство подключено',
  'device.done.success.message': 'Вернитесь к приложению — оно продолжит работу само. Это окно можно закрыть.',
  'device.done.denied.title': 'Доступ не предоставлен',
  'device.done.denied.message': 'Вы отменили вход. Приложение не получит доступ к вашей учётной записи.',
  'device.done.expired.title': 'Код устарел',
  'device.done.expired.message': 'Срок действия кода истёк. Начните вход в приложении ещё раз, чтобы получить новый код.',
} as const;

/** Every message key; the source of truth is the Russian dictionary. */
export type MessageKey = keyof typeof ru;

/** A complete dictionary: exactly the keys of `ru` (object literals typed with it reject extra keys). */
export type Messages = { readonly [K in MessageKey]: string };
