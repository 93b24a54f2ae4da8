// The todo page's script: TodoMVC behaviour over the JSON API (/todos), no framework. The CSRF
// token comes from the page's meta tag and goes in x-csrf-token on every change.
'use strict'
;(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content')
  const list = document.querySelector('.todo-list')
  const input = document.querySelector('.new-todo')
  const count = document.querySelector('.todo-count')
  const clear = document.querySelector('.clear-completed')
  const alertBox = document.querySelector('.todoapp .error')
  let todos = []

  async function api (method, path, body) {
    const headers = { accept: 'application/json' }
    if (method !== 'GET') headers['x-csrf-token'] = csrf
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    if (res.status === 401) { location.href = '/login?next=' + encodeURIComponent(location.pathname); return null }
    if (!res.ok) { alertBox.textContent = 'The server refused: ' + res.status; alertBox.hidden = false; return null }
    alertBox.hidden = true
    return res.status === 204 ? true : await res.json()
  }

  const filter = () => (location.hash === '#/active' ? 'active' : location.hash === '#/completed' ? 'completed' : 'all')

  function render () {
    const shown = todos.filter((t) => filter() === 'all' || (filter() === 'completed') === t.completed)
    list.replaceChildren(...shown.map(item))
    const left = todos.filter((t) => !t.completed).length
    count.textContent = `${left} item${left === 1 ? '' : 's'} left`
    clear.hidden = !todos.some((t) => t.completed)
    for (const a of document.querySelectorAll('.filters a')) {
      const selected = a.getAttribute('href') === (location.hash || '#/')
      a.classList.toggle('selected', selected)
      if (selected) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current')
    }
  }

  function item (todo) {
    const li = document.createElement('li')
    li.dataset.id = String(todo.id)
    if (todo.completed) li.classList.add('completed')
    const view = document.createElement('div')
    view.className = 'view'
    const toggle = document.createElement('input')
    toggle.className = 'toggle'
    toggle.type = 'checkbox'
    toggle.checked = todo.completed
    toggle.setAttribute('aria-label', `Done: ${todo.title}`)
    toggle.addEventListener('change', () => change(todo, { completed: toggle.checked }))
    const label = document.createElement('label')
    label.textContent = todo.title
    const destroy = document.createElement('button')
    destroy.className = 'destroy'
    destroy.type = 'button'
    destroy.setAttribute('aria-label', `Delete: ${todo.title}`)
    destroy.addEventListener('click', () => remove(todo))
    view.append(toggle, label, destroy)
    li.append(view)
    return li
  }

  async function change (todo, patch) {
    const updated = await api('PATCH', `/todos/${todo.id}`, patch)
    if (updated !== null) todos = todos.map((t) => (t.id === todo.id ? updated : t))
    render()
  }

  async function remove (todo) {
    if (await api('DELETE', `/todos/${todo.id}`) !== null) todos = todos.filter((t) => t.id !== todo.id)
    render()
  }

  input.addEventListener('keydown', async (event) => {
    const title = input.value.trim()
    if (event.key !== 'Enter' || title === '') return
    const created = await api('POST', '/todos', { title })
    if (created !== null) { todos.push(created); input.value = '' }
    render()
  })
  clear.addEventListener('click', async () => {
    for (const t of todos.filter((x) => x.completed)) await remove(t)
  })
  window.addEventListener('hashchange', render)

  api('GET', '/todos').then((loaded) => { if (loaded !== null) todos = loaded; render(); document.body.dataset.ready = 'true' })
})()
